package dev.floe.camel.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.PartitionStatisticsFile;
import org.apache.iceberg.ReachableFileUtil;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;

/**
 * Deletes the files under the table's location that no metadata references and that are older than orphanMinAgeMs:
 * data files of commits that failed or whose outcome was never known, manifests of lost commits, files expiry could not
 * delete. The listing comes first and the references are read afterwards, so a file committed in between counts as
 * referenced; the age window keeps out files of commits still in flight.
 */
final class OrphanFileRemoval {

    private final long minAgeMs;
    private final boolean dryRun;

    OrphanFileRemoval(IcebergConfiguration conf) {
        this.minAgeMs = conf.getOrphanMinAgeMs();
        this.dryRun = conf.isDryRun();
    }

    void run(Table table, Map<String, Object> body) {
        body.put("orphanFiles", 0L);
        body.put("deletedFiles", 0L);
        long now = System.currentTimeMillis();
        // another table's files may lie below this one's location: they are not this table's to judge
        List<FileInfo> listed = FileLocations.ownFiles(
                FileLocations.listUnder(table.io(), table.location(), "removeOrphanFiles"), table.location());
        table.refresh();
        Set<String> referenced = referenced(table);
        String folder = FileLocations.normalize(FileLocations.asFolder(table.location()));
        List<String> orphans = new ArrayList<>();
        int matched = 0;
        for (FileInfo file : listed) {
            String normalized = FileLocations.normalize(file.location());
            if (referenced.contains(normalized)) {
                matched++;
            } else if (normalized.startsWith(folder) && now - file.createdAtMillis() >= minAgeMs) {
                orphans.add(file.location());
            }
        }
        if (matched == 0 && !listed.isEmpty() && table.currentSnapshot() != null) {
            // the listing spells locations in a way the metadata does not: every file would look orphaned
            throw new IllegalStateException("none of the " + listed.size() + " files listed under "
                    + table.location() + " matches a location the table's metadata references;"
                    + " refusing to delete anything");
        }
        body.put("orphanFiles", (long) orphans.size());
        if (!dryRun) {
            orphans.forEach(table.io()::deleteFile);
            body.put("deletedFiles", (long) orphans.size());
        }
        body.put("outcome", orphans.isEmpty() ? TableMaintenance.NOTHING_TO_DO : TableMaintenance.DONE);
    }

    /**
     * Every location the table's metadata reaches: metadata files current and logged, the version hint, each
     * snapshot's manifest list, manifests and live data and delete files, statistics files.
     */
    static Set<String> referenced(Table table) {
        Set<String> locations = new HashSet<>();
        FileIO io = table.io();
        ReachableFileUtil.metadataFileLocations(table, false).forEach(l -> locations.add(FileLocations.normalize(l)));
        locations.add(FileLocations.normalize(ReachableFileUtil.versionHintLocation(table)));
        ReachableFileUtil.manifestListLocations(table).forEach(l -> locations.add(FileLocations.normalize(l)));
        ReachableFileUtil.statisticsFilesLocations(table).forEach(l -> locations.add(FileLocations.normalize(l)));
        for (PartitionStatisticsFile stats : table.partitionStatisticsFiles()) {
            locations.add(FileLocations.normalize(stats.path()));
        }
        Set<String> manifestsRead = new HashSet<>();
        for (Snapshot snapshot : table.snapshots()) {
            for (ManifestFile manifest : snapshot.allManifests(io)) {
                if (manifestsRead.add(manifest.path())) {
                    locations.add(FileLocations.normalize(manifest.path()));
                    addContentFiles(table, manifest, locations);
                }
            }
        }
        return locations;
    }

    /** The live data or delete files of one manifest (a file a manifest marks deleted is live in an older one). */
    private static void addContentFiles(Table table, ManifestFile manifest, Set<String> locations) {
        try (CloseableIterable<String> paths = ManifestFiles.readPaths(manifest, table.io(), table.specs())) {
            paths.forEach(l -> locations.add(FileLocations.normalize(l)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
