package dev.floe.app.kafka;

import dev.floe.camel.iceberg.SourceOffsets;

/**
 * What a table holds of a partition whose watermark is at or past the partition's end. Either the topic was deleted
 * and created again (its offsets start over: nothing of the new topic is held) or the partition was truncated, by an
 * unclean leader election say (the table holds everything up to the new end; what comes next is new). Only a changed
 * topic id proves a re-creation; without a stored id (a table written before ids were kept) a re-creation is assumed,
 * as skipping records is worse than writing some twice.
 */
final class PastTheEnd {

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
}
