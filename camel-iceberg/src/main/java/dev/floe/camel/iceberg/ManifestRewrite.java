package dev.floe.camel.iceberg;

import java.util.Map;

import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RewriteManifests;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Rewrites the current snapshot's data manifests, clustered by partition, once there are more than maxManifests: each
 * commit of a connector adds a manifest, and planning a read opens every one. The new snapshot carries every source's
 * watermarks forward and is refused if an ingest commit moved them meanwhile.
 */
final class ManifestRewrite {

    private final int maxManifests;

    ManifestRewrite(IcebergConfiguration conf) {
        this.maxManifests = conf.getMaxManifests();
    }

    void run(Table table, Map<String, Object> body) {
        Snapshot head = table.currentSnapshot();
        int before = head == null ? 0 : head.allManifests(table.io()).size();
        body.put("manifestsBefore", before);
        body.put("manifestsAfter", before);
        if (head == null || before <= maxManifests) {
            body.put("outcome", TableMaintenance.NOTHING_TO_DO);
            return;
        }
        CarriedWatermarks carried = CarriedWatermarks.of(SnapshotUtil.ancestorsOf(head.snapshotId(), table::snapshot));
        Map<Integer, PartitionSpec> specs = table.specs();
        RewriteManifests rewrite = table.rewriteManifests()
                .clusterBy(file -> file.specId() + "/" + specs.get(file.specId()).partitionToPath(file.partition()));
        rewrite.scanManifestsWith(BatchCommitter.ON_LANE_THREAD);
        rewrite.writeManifestsWith(BatchCommitter.ON_LANE_THREAD, 1);
        carried.writeTo(rewrite);
        rewrite.validateWith(new WatermarksUnchanged(carried));
        rewrite.commit();
        table.refresh();
        body.put("manifestsAfter", table.currentSnapshot().allManifests(table.io()).size());
    }
}
