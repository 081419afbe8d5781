package dev.floe.app.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.floe.camel.iceberg.SourceOffsets;
import dev.floe.camel.iceberg.TableNames;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.kafka.common.TopicPartition;

/**
 * The tables' watermarks of the assigned partitions, as their snapshot summaries store them: what their next commits
 * are compared with, and the topic ids stored with them.
 *
 * @param actual    per table, its watermark of every partition ({@code NONE} where it has none, or no table yet)
 * @param storedIds per table, the topic ids it stored with its watermarks (absent for a table not created yet)
 */
record TableWatermarks(Map<String, Map<TopicPartition, Long>> actual, Map<String, Map<String, String>> storedIds) {

    static TableWatermarks read(Catalog catalog, Set<String> tables, String source, Set<TopicPartition> partitions) {
        Map<String, TopicPartition> byName = new HashMap<>();
        partitions.forEach(tp -> byName.put(Generation.name(tp), tp));
        Map<String, Map<TopicPartition, Long>> actual = new TreeMap<>();
        Map<String, Map<String, String>> storedIds = new TreeMap<>();
        for (String table : tables) {
            Map<TopicPartition, Long> result = new HashMap<>();
            try {
                Table loaded = catalog.loadTable(TableNames.parse(table));
                SourceOffsets.read(loaded, source, byName.keySet())
                        .forEach((name, offset) -> result.put(byName.get(name), offset));
                storedIds.put(table, SourceOffsets.readTopicIds(loaded, source));
            } catch (NoSuchTableException e) {
                partitions.forEach(tp -> result.put(tp, SourceOffsets.NONE));
            }
            actual.put(table, result);
        }
        return new TableWatermarks(actual, storedIds);
    }
}
