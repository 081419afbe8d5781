package dev.floe.app.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.Set;

import io.quarkus.runtime.Quarkus;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * floe.kafka.drain: once every assigned partition is committed to the tables up to the end it had when Floe first
 * saw it, Floe commits the group's offsets and exits 0 (Camel's graceful shutdown runs, with nothing left to commit).
 * Records produced after that end are left for the next run. Runs on the polling thread.
 */
final class DrainMode {

    private static final Logger LOG = LoggerFactory.getLogger(DrainMode.class);

    private final KafkaProgress progress;
    private final Map<TopicPartition, Long> ends = new HashMap<>();
    private static final long COMMIT_RETRY_NANOS = TimeUnit.MINUTES.toNanos(5);

    private boolean exiting;
    // when the offset commit began to fail, while it keeps failing; null otherwise
    private Long commitFailingSince;

    DrainMode(KafkaProgress progress) {
        this.progress = progress;
    }

    void check(Consumer<?, ?> consumer) {
        Set<TopicPartition> assigned = progress.assigned();
        if (exiting || assigned == null || assigned.isEmpty()) {
            return;
        }
        Set<TopicPartition> unknown = new java.util.HashSet<>(assigned);
        unknown.removeAll(ends.keySet());
        if (!unknown.isEmpty()) {
            ends.putAll(consumer.endOffsets(unknown));
        }
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        for (TopicPartition tp : assigned) {
            long safe = progress.safeOffset(tp);
            if (safe < ends.get(tp)) {
                commitFailingSince = null;
                return;
            }
            done.put(tp, new OffsetAndMetadata(safe));
        }
        try {
            consumer.commitSync(done);
        } catch (RuntimeException e) {
            // the tables are right already, but a lag-based scaler reads these offsets: try again after the next poll,
            // for a while; then exit with an error, so that the Job shows the failure instead of running forever
            long now = System.nanoTime();
            if (commitFailingSince == null) {
                commitFailingSince = now;
            }
            if (now - commitFailingSince > COMMIT_RETRY_NANOS) {
                LOG.error(
                        "Drained {}, but the group's offsets could not be committed for 5 minutes: exiting with 1 ({})",
                        assigned, e.toString());
                exiting = true;
                Quarkus.asyncExit(1);
                return;
            }
            LOG.warn("Could not commit the group's offsets before exiting, trying again: {}", e.toString());
            return;
        }
        exiting = true;
        LOG.info("Drained {} up to {}: exiting", assigned, ends);
        Quarkus.asyncExit(0);
    }
}
