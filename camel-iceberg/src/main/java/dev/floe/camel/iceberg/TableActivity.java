package dev.floe.camel.iceberg;

import java.time.Instant;

/** What a component last did to one table, for the dev console: its last snapshot and its last error. */
final class TableActivity {

    private volatile Long lastSnapshotId;
    private volatile Instant lastCommitAt;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    void committed(Long snapshotId) {
        lastSnapshotId = snapshotId;
        lastCommitAt = Instant.now();
    }

    void failed(Throwable error) {
        lastError = String.valueOf(error);
        lastErrorAt = Instant.now();
    }

    Long lastSnapshotId() {
        return lastSnapshotId;
    }

    Instant lastCommitAt() {
        return lastCommitAt;
    }

    String lastError() {
        return lastError;
    }

    Instant lastErrorAt() {
        return lastErrorAt;
    }
}
