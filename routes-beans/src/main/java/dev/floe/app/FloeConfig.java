package dev.floe.app;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.floe.camel.iceberg.cloudevents.CloudEventLimits;
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

        /** This table's overrides of floe.maintenance.* (README "Table maintenance"). */
        TableMaintenance maintenance();
    }

    /**
     * Table maintenance (routes/maintenance.yaml, README "Table maintenance"): each task's timer, and the endpoint
     * options of its iceberg: operation. Defaults are in application.properties; an option not set there is the
     * iceberg component's default.
     */
    Maintenance maintenance();

    interface Maintenance {

        /** Master switch: off, no maintenance route starts (the routes read it too, from application.properties). */
        @WithDefault("true")
        boolean enabled();

        /**
         * The cluster service that elects the one replica that maintains: {@code file} (a file lock, see lock-dir) or
         * {@code kubernetes} (a coordination.k8s.io Lease in the pod's namespace, see kubernetes.*).
         */
        @WithDefault("file")
        MaintenanceCluster cluster();

        /**
         * The folder of the file lock that elects the one replica that maintains (Camel's file lock cluster service).
         * Absent: {@code <floe.data-dir>/cluster}. Replicas elect one leader only when they share this folder.
         */
        Optional<String> lockDir();

        /** How often a replica that is not the leader tries to take the lock. */
        @WithDefault("10000")
        long lockIntervalMs();

        /** The Lease, when cluster is kubernetes. */
        KubernetesLease kubernetes();

        MaintenanceTask expireSnapshots();

        MaintenanceTask rewriteManifests();

        MaintenanceTask compact();

        MaintenanceTask removeOrphanFiles();

        MaintenanceTask stats();
    }

    /** Which cluster service elects the maintaining replica. */
    enum MaintenanceCluster {
        FILE, KUBERNETES
    }

    /**
     * The Kubernetes Lease of the maintaining replica (Camel's KubernetesClusterService). The holder stays leader while
     * its pod is running and ready; another replica takes over once it is not, after one lease duration.
     */
    interface KubernetesLease {

        /**
         * The Lease's name prefix: the Lease is {@code <lease-name>-floe-maintenance}. Give each installation in one
         * namespace its own.
         */
        @WithDefault("floe")
        String leaseName();

        /** The namespace of the Lease and of the pods: absent, the client's (the service account's namespace file). */
        Optional<String> namespace();

        /** This replica's name in the Lease, which must be its pod's name: absent, {@code HOSTNAME}. */
        Optional<String> podName();

        /**
         * The labels that select the replicas' pods, as {@code key=value,key=value}: a holder whose pod is not among the
         * running and ready pods they select loses the Lease. Absent: every pod of the namespace.
         */
        Optional<String> podLabels();

        /** The API server: absent, the client's own discovery (in a pod, the service account's). */
        Optional<String> masterUrl();

        /** How long a new holder waits before it starts maintaining, so that the old one has stopped. */
        @WithDefault("15000")
        long leaseDurationMs();

        /** A holder that could not renew its Lease for this long stops maintaining. Below lease-duration-ms. */
        @WithDefault("10000")
        long renewDeadlineMs();

        /** How often each replica reads (and the holder renews) the Lease. Below renew-deadline-ms / 1.2. */
        @WithDefault("2000")
        long retryPeriodMs();
    }

    interface MaintenanceTask {

        @WithDefault("true")
        boolean enabled();

        /**
         * The period of the task's timer: read by routes/maintenance.yaml, whose defaults are in application.properties.
         */
        Optional<Long> intervalMs();

        /** Options of the task's iceberg: operation, named as the component names them (e.g. maxSnapshots). */
        Map<String, String> options();
    }

    /** One table's overrides: what is absent follows floe.maintenance.*. */
    interface TableMaintenance {

        /** false: no task maintains this table. */
        Optional<Boolean> enabled();

        TableMaintenanceTask expireSnapshots();

        TableMaintenanceTask rewriteManifests();

        TableMaintenanceTask compact();

        TableMaintenanceTask removeOrphanFiles();

        TableMaintenanceTask stats();
    }

    interface TableMaintenanceTask {

        Optional<Boolean> enabled();

        /** At least this long between two runs on this table; can only lengthen the task's own interval. */
        Optional<Long> intervalMs();

        /** Endpoint options for this table, over floe.maintenance.&lt;task&gt;.options. */
        Map<String, String> options();
    }

    Batch batch();

    /** Caps on what a sender controls, for every source and table (README "Limits"). */
    Limits limits();

    interface Limits {

        /** UTF-8 bytes of one attribute value (id, source, type, subject, extensions...). */
        @WithDefault("" + CloudEventLimits.DEFAULT_MAX_ATTRIBUTE_BYTES)
        int maxAttributeBytes();

        /** Extension attributes of one event. */
        @WithDefault("" + CloudEventLimits.DEFAULT_MAX_EXTENSIONS)
        int maxExtensions();

        /** UTF-8 bytes of all attribute names and values of one event together. */
        @WithDefault("" + CloudEventLimits.DEFAULT_MAX_ATTRIBUTES_BYTES)
        int maxAttributesBytes();

        /** Characters of a data_base64 member. */
        @WithDefault("" + CloudEventLimits.DEFAULT_MAX_DATA_BASE64_LENGTH)
        int maxDataBase64Length();

        /** Nesting depth of JSON. */
        @WithDefault("" + CloudEventLimits.DEFAULT_MAX_JSON_DEPTH)
        int maxJsonDepth();

        /** Characters of one JSON string value. */
        @WithDefault("" + CloudEventLimits.DEFAULT_MAX_JSON_STRING_LENGTH)
        int maxJsonStringLength();

        /** Characters of one JSON number. */
        @WithDefault("" + CloudEventLimits.DEFAULT_MAX_JSON_NUMBER_LENGTH)
        int maxJsonNumberLength();

        /** Characters of one JSON member name. */
        @WithDefault("" + CloudEventLimits.DEFAULT_MAX_JSON_NAME_LENGTH)
        int maxJsonNameLength();

        /** Bytes of one JSON document. */
        @WithDefault("" + CloudEventLimits.DEFAULT_MAX_JSON_DOCUMENT_LENGTH)
        long maxJsonDocumentLength();

        /** Typed columns a schema-mode=inferred table may gain by inference. */
        @WithDefault("500")
        int maxInferredColumns();

        /** What a JSON member name must look like to become an inferred column. */
        @WithDefault("[A-Za-z0-9_][A-Za-z0-9_-]{0,127}")
        String inferredColumnPattern();

        default CloudEventLimits cloudEvents() {
            return new CloudEventLimits(maxAttributeBytes(), maxExtensions(), maxAttributesBytes(),
                    maxDataBase64Length(), maxJsonDepth(), maxJsonStringLength(), maxJsonNumberLength(),
                    maxJsonNameLength(), maxJsonDocumentLength());
        }
    }

    Catalog catalog();

    Kafka kafka();

    Amqp amqp();

    Grpc grpc();

    /**
     * The gRPC source (routes/grpc-to-iceberg.yaml, which reads these); see README "gRPC". Its callers authenticate as
     * HTTP's do ({@code floe.http.auth.*}).
     */
    interface Grpc {

        /** Off by default: the embedded default starts with HTTP only. */
        @WithDefault("false")
        boolean enabled();

        @WithDefault("0.0.0.0")
        String host();

        @WithDefault("50051")
        int port();

        /** One request (an event, a batch, or one event of a stream), in bytes; RESOURCE_EXHAUSTED past it. */
        @WithDefault("1048576")
        int maxMessageSize();

        /**
         * How often the gRPC health service (grpc.health.v1.Health) checks again that Floe can take events (the route
         * is started and the catalog answers); Check and Watch answer from the last check.
         */
        @WithDefault("5000")
        long healthIntervalMs();
    }

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

        /**
         * The most records one poll returns, and so one exchange carries through the route: per-exchange costs are paid
         * once per poll.
         */
        @WithDefault("1000")
        int maxPollRecords();

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

        /** When a batch of Kafka records commits (any limit reached); larger than HTTP's: no client waits for it. */
        KafkaBatch batch();
    }

    /**
     * Kafka's batch limits. A batch holds its records' room in the memory budget until it commits, and the next one
     * fills meanwhile, so two batches must fit in floe.max-pending-events and floe.max-pending-bytes.
     */
    interface KafkaBatch {

        @WithDefault("20000")
        int maxEvents();

        @WithDefault("16777216")
        long maxBytes();

        @WithDefault("5000")
        long maxWaitMs();
    }

    interface Http {

        @WithDefault("0.0.0.0")
        String host();

        @WithDefault("8080")
        int port();

        /** Bodies larger than this are refused with 413. */
        @WithDefault("1048576")
        int maxBodySize();

        /** Connections open at once on the ingest port; one more is closed as soon as it is accepted. */
        @WithDefault("10000")
        int maxConnections();

        /**
         * A connection with no request in flight that reads and writes nothing for this long is closed. A request
         * waiting for its commit is in flight.
         */
        @WithDefault("60")
        int idleTimeoutSeconds();

        /**
         * A request whose headers and body have not all arrived this long after its first byte is answered 408 and
         * its connection closed (slow senders).
         */
        @WithDefault("30")
        int requestReadTimeoutSeconds();

        Tls tls();

        Auth auth();
    }

    /** TLS on the ingest port (README "Security"). Off by default. */
    interface Tls {

        @WithDefault("false")
        boolean enabled();

        /** The server's certificate chain, PEM. With key-file; or use keystore-file. */
        Optional<String> certificateFile();

        /** The server's private key, PEM (PKCS#8, unencrypted). */
        Optional<String> keyFile();

        /** A PKCS12 (or keystore-type) keystore holding the server's key and chain, instead of PEM files. */
        Optional<String> keystoreFile();

        Optional<String> keystorePassword();

        @WithDefault("PKCS12")
        String keystoreType();

        /**
         * Client certificates are required, and must chain to one of these CA certificates (PEM): mutual TLS. Absent:
         * no client certificate is asked for.
         */
        Optional<String> clientCaFile();

        /**
         * With client-ca-file: only clients whose certificate subject is one of these distinguished names are let in
         * (keys are labels, values DNs such as CN=orders,O=Example). Empty: any client the CA signed.
         */
        Map<String, String> allowedSubjects();

        @WithDefault("TLSv1.3,TLSv1.2")
        List<String> protocols();

        /** How often, at most, the files are checked for a change; new connections then get the new certificate. */
        @WithDefault("10000")
        long reloadIntervalMs();
    }

    /** Bearer tokens on the ingest port (README "Security"): required as soon as a JWT issuer or token file is set. */
    interface Auth {

        Jwt jwt();

        /**
         * A properties file of name=token lines (a mounted Kubernetes Secret); a request bearing one of the tokens is
         * sent by that name. Re-read when it changes.
         */
        Optional<String> staticTokensFile();
    }

    interface Jwt {

        /** The OIDC issuer: tokens must name it in iss; its keys are found through its discovery document. */
        Optional<String> issuer();

        /** The JWKS URL, instead of discovering it from the issuer. */
        Optional<String> jwksUrl();

        /** Tokens must name this in aud. Required with an issuer. */
        Optional<String> audience();

        /** Accepted signature algorithms: asymmetric only (none and HMAC are refused at start). */
        @WithDefault("RS256,RS384,RS512,PS256,PS384,PS512,ES256,ES384,ES512")
        List<String> algorithms();

        /** The claim that names the sender, for floe.authorization. */
        @WithDefault("sub")
        String principalClaim();

        /** Tolerated clock difference for exp and nbf. */
        @WithDefault("60")
        int clockSkewSeconds();
    }

    Authorization authorization();

    Management management();

    interface Management {

        /** The management port's bind address (probes, metrics): quarkus.management.host follows it. */
        @WithDefault("127.0.0.1")
        String host();
    }

    /**
     * Who may send which events to which table (README "Security"), checked per event after routing and before
     * anything is admitted. No grants: any sender that passed authentication may send anything.
     */
    interface Authorization {

        /** Keyed by a label of your choice. An event is let through when any grant matches it. */
        Map<String, Grant> grants();
    }

    interface Grant {

        /** The sender: a JWT principal claim, a static token's name or an mTLS subject DN; globs (*) allowed. */
        String principal();

        /** CloudEvent type globs. */
        @WithDefault("*")
        List<String> types();

        /** CloudEvent source globs. */
        @WithDefault("*")
        List<String> sources();

        /** Table identifiers (namespace.table) or globs. */
        @WithDefault("*")
        List<String> tables();
    }

    /** A batch commits when any limit is reached. */
    interface Batch {

        @WithDefault("1000")
        int maxEvents();

        @WithDefault("16777216")
        long maxBytes();

        @WithDefault("20")
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
