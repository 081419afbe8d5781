package dev.floe.app;

import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Floe's typed configuration (prefix {@code floe}). Batch and HTTP settings are read by the routes as
 * {@code {{floe.…}}} placeholders; this interface holds what Java code needs.
 */
@ConfigMapping(prefix = "floe")
public interface FloeConfig {

    /** Where the embedded default keeps its SQLite catalog and warehouse. */
    @WithDefault("data")
    String dataDir();

    /**
     * Events admitted and waiting, across all sources: until their commit (HTTP, Kafka) or their settlement (AMQP).
     * Past this, HTTP answers 429 and the broker consumers wait.
     */
    @WithDefault("100000")
    long maxPendingEvents();

    /**
     * Input bytes (HTTP bodies, Kafka values, AMQP bodies) admitted and waiting, across all sources, on the same terms
     * as {@link #maxPendingEvents()}. Held in memory they take a few times this much heap: size the heap for it.
     */
    @WithDefault("67108864")
    long maxPendingBytes();

    /**
     * A redelivered event (same source and id) that a table took within this many seconds is not written again; 0
     * turns it off. One window per table, fed by the table itself, so it spans routes, restarts and replicas.
     */
    @WithDefault("600")
    long dedupWindowSeconds();

    /** The most memory one table's dedup window may hold, in bytes; the oldest events go first. */
    @WithDefault("33554432")
    long dedupWindowBytes();

    /** Seconds a client is told to wait (Retry-After) on 429 and 503. */
    @WithDefault("1")
    int retryAfterSeconds();

    /** The table events go to, as namespace.table. */
    @WithDefault("default.events")
    String table();

    Http http();

    Routing routing();

    /** Per-table settings, keyed by table identifier (quote it: floe.tables."sales.orders".schema-mode). */
    Map<String, TableSettings> tables();

    interface Routing {

        /** The context attribute or extension whose value picks the table. */
        @WithDefault("type")
        String attribute();

        /** Allow-list: exact values or globs (* matches anything) → table identifiers. */
        Map<String, String> rules();

        /** What to do with an event no rule matches: default (write it to floe.table) or reject (422). */
        @WithDefault("default")
        String unmatched();
    }

    interface TableSettings {

        /** Partition spec applied when the table is created, e.g. day(time), identity(type). */
        Optional<String> partitionSpec();

        /** envelope, inferred or declared (see the iceberg component's schemaMode). */
        @WithDefault("envelope")
        String schemaMode();

        /** For schema-mode declared: Iceberg schema JSON of the payload, inline or file:/classpath: */
        Optional<String> declaredSchema();

        /** append or upsert. */
        @WithDefault("append")
        String writeMode();

        /** For write-mode upsert, e.g. payload.id or subject. */
        Optional<String> identifierFields();

        /** Write an event once when source and id repeat within one commit. */
        @WithDefault("true")
        boolean dedup();
    }

    Batch batch();

    Catalog catalog();

    Kafka kafka();

    Amqp amqp();

    /** The AMQP 1.0 source (routes/amqp-to-iceberg.yaml); see README "AMQP". */
    interface Amqp {

        /** Off by default: the embedded default starts with HTTP only. */
        @WithDefault("false")
        boolean enabled();

        /**
         * The broker, as a Qpid JMS URI: amqp://host:5672, amqps://host:5671?transport.trustStoreLocation=..., or
         * failover:(amqp://a:5672,amqp://b:5672) to reconnect.
         */
        @WithDefault("amqp://localhost:5672")
        String url();

        Optional<String> username();

        Optional<String> password();

        /**
         * For amqps:// brokers whose certificate the JVM's default trust store does not vouch for: a trust store file
         * (PKCS12 or JKS) with their certificate or CA. Kept out of the URL so that its password never is part of it.
         */
        Optional<String> trustStoreLocation();

        Optional<String> trustStorePassword();

        /** The trust store's format: PKCS12 or JKS. */
        @WithDefault("PKCS12")
        String trustStoreType();

        /** The queue events are read from. */
        @WithDefault("events")
        String queue();

        /** Messages that are not valid CloudEvents go here, with the reason in floe_error_* properties. */
        @WithDefault("floe-dead-letters")
        String deadLetterQueue();

        /** Messages with a larger body are dead-lettered unread. */
        @WithDefault("1048576")
        int maxMessageBytes();

        /** Consumer threads on the queue; each hands messages on without waiting for their commit. */
        @WithDefault("1")
        int consumers();
    }

    /** The Kafka source (routes/kafka-to-iceberg.yaml); see README "Kafka". */
    interface Kafka {

        /** Off by default: the embedded default starts with HTTP only. */
        @WithDefault("false")
        boolean enabled();

        @WithDefault("localhost:9092")
        String bootstrapServers();

        /** Comma-separated topic names, or a regular expression when topic-is-pattern is true. */
        @WithDefault("events")
        String topics();

        @WithDefault("false")
        boolean topicIsPattern();

        /** The consumer group; also names the table watermarks (floe.offsets.kafka.&lt;group&gt;). */
        @WithDefault("floe")
        String groupId();

        /** Records that are not valid CloudEvents go here, with the reason in floe_error_* headers. */
        @WithDefault("floe-dead-letters")
        String deadLetterTopic();

        /**
         * Where a partition starts when neither the tables nor the group hold a position for it: earliest (default,
         * nothing is skipped) or latest.
         */
        @WithDefault("earliest")
        String autoOffsetReset();

        /** Records with a larger value are dead-lettered unread. */
        @WithDefault("1048576")
        int maxRecordBytes();

        /** How long to wait between attempts to re-read the table watermarks while the consumer is paused. */
        @WithDefault("1000")
        long pauseRetryMs();

        /**
         * Drain mode, for Kubernetes Jobs and CronJobs: consume until every assigned partition is committed up to
         * where it ended when Floe started reading it, then exit 0.
         */
        @WithDefault("false")
        boolean drain();

        /** Any other Kafka client property (security.protocol, sasl.*, ssl.*, ...), for consumer and producer. */
        Map<String, String> properties();
    }

    interface Http {

        @WithDefault("0.0.0.0")
        String host();

        @WithDefault("8080")
        int port();

        /** Bodies larger than this are refused with 413. */
        @WithDefault("1048576")
        int maxBodySize();
    }

    /** A batch commits when any limit is reached. */
    interface Batch {

        @WithDefault("1000")
        int maxEvents();

        @WithDefault("16777216")
        long maxBytes();

        @WithDefault("1000")
        long maxWaitMs();
    }

    interface Catalog {

        /** The catalog's name, as Iceberg and query engines see it. */
        @WithDefault("floe")
        String name();

        /**
         * Iceberg catalog properties, passed unchanged to CatalogUtil.buildIcebergCatalog. Without type or
         * catalog-impl, the embedded default is used (JDBC on SQLite in the data directory).
         */
        Map<String, String> properties();

        /** How long the embedded SQLite catalog waits for a lock before a commit fails. */
        @WithDefault("5000")
        int embeddedBusyTimeoutMs();
    }
}
