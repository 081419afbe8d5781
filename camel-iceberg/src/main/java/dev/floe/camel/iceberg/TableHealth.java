package dev.floe.camel.iceberg;

import java.util.Map;

import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;

/**
 * A table's health figures, cheaply: totals from the current snapshot's summary, counts from the manifest list, the
 * size of the current metadata.json. Nothing is written.
 */
final class TableHealth {

    private TableHealth() {
    }

    static void read(Table table, Map<String, Object> body) {
        int snapshots = 0;
        for (Snapshot ignored : table.snapshots()) {
            snapshots++;
        }
        Snapshot head = table.currentSnapshot();
        Map<String, String> summary = head == null ? Map.of() : head.summary();
        long dataFiles = total(summary, SnapshotSummary.TOTAL_DATA_FILES_PROP);
        long deleteFiles = total(summary, SnapshotSummary.TOTAL_DELETE_FILES_PROP);
        long records = total(summary, SnapshotSummary.TOTAL_RECORDS_PROP);
        long bytes = total(summary, SnapshotSummary.TOTAL_FILE_SIZE_PROP);
        int manifests = 0;
        if (head != null) {
            for (ManifestFile manifest : head.allManifests(table.io())) {
                manifests++;
                if (manifest.content() == ManifestContent.DATA
                        && !summary.containsKey(SnapshotSummary.TOTAL_DATA_FILES_PROP)) {
                    // totals are missing when an older writer left them out: count from the manifest list instead
                    dataFiles += count(manifest.addedFilesCount()) + count(manifest.existingFilesCount());
                    records += count(manifest.addedRowsCount()) + count(manifest.existingRowsCount());
                }
            }
        }
        body.put("snapshots", snapshots);
        body.put("dataFiles", dataFiles);
        body.put("deleteFiles", deleteFiles);
        body.put("records", records);
        // total-files-size counts delete files too; they are few and small next to the data files
        body.put("averageDataFileBytes", dataFiles == 0 ? 0L : bytes / dataFiles);
        body.put("metadataFileBytes", metadataFileBytes(table));
        body.put("manifests", manifests);
    }

    private static long total(Map<String, String> summary, String key) {
        String value = summary.get(key);
        return value == null ? 0 : Long.parseLong(value);
    }

    private static long count(Number value) {
        return value == null ? 0 : value.longValue();
    }

    private static long metadataFileBytes(Table table) {
        if (!(table instanceof HasTableOperations ops)) {
            return 0;
        }
        String location = ops.operations().current().metadataFileLocation();
        return location == null ? 0 : table.io().newInputFile(location).getLength();
    }
}
