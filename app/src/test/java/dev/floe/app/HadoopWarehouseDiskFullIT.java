package dev.floe.app;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * A Hadoop catalog (metadata as files, committed by a rename) on a tmpfs of its own that fills up part-way through a
 * commit. Its last write, the version hint, comes after the rename that commits: a full disk there fails a commit that
 * has landed, which the committer must read back rather than report as refused.
 */
@QuarkusTest
@TestProfile(HadoopWarehouseDiskFullIT.HadoopOnTinyDisk.class)
class HadoopWarehouseDiskFullIT extends OnTinyDisk {

    public static class HadoopOnTinyDisk implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TinyDiskResource.class, Map.of(TinyDiskResource.CATALOG, "hadoop")));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return ownPorts();
        }
    }

    @Test
    void diskFillingUpAtEachStepOfAHadoopCommitNeverRefusesALandedCommitAndTheResendLandsOnce() throws Exception {
        DiskFillSweep.run(client, disk, catalog);
    }
}
