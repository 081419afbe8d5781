package dev.floe.app;

/**
 * For crash tests only: with FLOE_TEST_CRASH_POINT=after-table-commit, the JVM halts (as kill -9 would) right after
 * the first Iceberg commit of a source's events, before the source hears of it (Kafka offsets, AMQP settlement, the
 * HTTP response).
 */
public final class CrashPoint {

    private static final boolean AFTER_TABLE_COMMIT = "after-table-commit"
            .equals(System.getenv("FLOE_TEST_CRASH_POINT"));

    private CrashPoint() {
    }

    public static void afterTableCommit() {
        if (AFTER_TABLE_COMMIT) {
            Runtime.getRuntime().halt(137);
        }
    }
}
