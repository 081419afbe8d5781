package dev.floe.app;

import java.util.Map;

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

    /** Events admitted but not yet committed, across all sources; past this, HTTP answers 429. */
    @WithDefault("100000")
    long maxPendingEvents();

    /** Seconds a client is told to wait (Retry-After) on 429 and 503. */
    @WithDefault("1")
    int retryAfterSeconds();

    /** The table events go to, as namespace.table. */
    @WithDefault("default.events")
    String table();

    Http http();

    Batch batch();

    Catalog catalog();

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
