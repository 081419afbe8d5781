package dev.floe.app.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import dev.floe.camel.iceberg.SourceOffsets;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a table holds of a partition whose watermark is at or past the partition's end. Either the topic was deleted
 * and created again (its offsets start over: nothing of the new topic is held) or the partition was truncated, by an
 * unclean leader election say (the table holds everything up to the new end; what comes next is new). Only a changed
 * topic id proves a re-creation; without a stored id (a table written before ids were kept) a re-creation is assumed,
 * as skipping records is worse than writing some twice.
 */
final class PastTheEnd {

    private static final Logger LOG = LoggerFactory.getLogger(PastTheEnd.class);

    private PastTheEnd() {
    }

    /**
     * @param watermark the table's watermark for the partition
     * @param end       the partition's end offset (the next offset to be written)
     * @param storedId  the topic id the table stored with its watermarks, or null
     * @param currentId the topic's id now
     * @return the watermark to read from: unchanged when below the end
     */
    static long held(long watermark, long end, String storedId, String currentId) {
        if (watermark < end) {
            return watermark;
        }
        if (storedId != null && storedId.equals(currentId)) {
            return end - 1;
        }
        return SourceOffsets.NONE;
    }

    /**
     * A watermark at or past the partition's end means the topic was created again (its id changed: read it from the
     * start) or the partition was truncated (same id: carry on from its end). Such a watermark is set aside for reading
     * (with a warning); the table's next commit, still compared with it, moves it back.
     *
     * @param actual     per table and partition, the watermark as stored
     * @param ends       per partition, its end offset (partitions missing here keep their watermarks)
     * @param storedIds  per table, the topic ids it stored with its watermarks
     * @param currentIds per topic, its id now
     * @return per table and partition, the watermark to read from
     */
    static Map<String, Map<TopicPartition, Long>> setAside(Map<String, Map<TopicPartition, Long>> actual,
            Map<TopicPartition, Long> ends, Map<String, Map<String, String>> storedIds,
            Map<String, String> currentIds) {
        Map<String, Map<TopicPartition, Long>> held = new TreeMap<>();
        actual.forEach((table, watermarks) -> {
            Map<TopicPartition, Long> usable = new HashMap<>(watermarks);
            usable.replaceAll((tp, w) -> {
                Long end = ends.get(tp);
                if (end == null || w < end) {
                    return w;
                }
                String stored = storedIds.getOrDefault(table, Map.of()).get(tp.topic());
                long from = held(w, end, stored, currentIds.get(tp.topic()));
                LOG.warn("Table {} holds {} up to offset {} but the partition ends at {}: {}", table, tp, w, end,
                        from == SourceOffsets.NONE
                                ? "the topic was created again (its id changed); reading it from the start"
                                : "the partition was truncated; reading on from its end");
                return from;
            });
            held.put(table, usable);
        });
        return held;
    }
}
