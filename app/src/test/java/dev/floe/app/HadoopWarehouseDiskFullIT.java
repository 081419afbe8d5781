package dev.floe.app;

import static dev.floe.app.BatchedRequests.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.floe.app.catalogs.Ports;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.iceberg.catalog.Catalog;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Hadoop catalog (metadata as files, committed by a rename) on a tmpfs of its own that fills up part-way through a
 * commit. Its last write, the version hint, comes after the rename that commits: a full disk there fails a commit that
 * has landed, which the committer must read back rather than report as refused.
 */
@QuarkusTest
@TestProfile(HadoopWarehouseDiskFullIT.HadoopOnTinyDisk.class)
class HadoopWarehouseDiskFullIT {

    public static class HadoopOnTinyDisk implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TinyDiskResource.class, Map.of(TinyDiskResource.CATALOG, "hadoop")));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            // ports of its own: other test runs may share this machine
            return Map.of("floe.http.port", String.valueOf(Ports.free()),
                    "quarkus.management.test-port", String.valueOf(Ports.free()));
        }
    }

    @Inject
    Catalog catalog;
    @ConfigProperty(name = "floe.http.port")
    int httpPort;
    BatchedRequests client;
    TinyDiskResource disk;

    @BeforeEach
    void onItsOwnTmpfs() {
        client = new BatchedRequests(httpPort);
        assumeTrue(disk.mountFailure().isEmpty(),
                () -> "a tmpfs cannot be mounted here (needs root and mount -t tmpfs): " + disk.mountFailure().get());
        // the table exists and takes events before the fault
        assertThat(client.send(ids("warm-" + UUID.randomUUID() + "-", 0), Duration.ofSeconds(60)).join().status())
                .isEqualTo(204);
    }

    @AfterEach
    void giveTheDiskBack() throws Exception {
        disk.free();
    }

    @Test
    void diskFillingUpAtEachStepOfAHadoopCommitNeverRefusesALandedCommitAndTheResendLandsOnce() throws Exception {
        DiskFillSweep.run(client, disk, catalog);
    }
}
