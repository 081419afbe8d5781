package dev.floe.app;

import static dev.floe.app.BatchedRequests.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.floe.app.catalogs.Ports;
import jakarta.inject.Inject;
import org.apache.iceberg.catalog.Catalog;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** What the tests of Floe on a tmpfs of its own share: a client, the disk, a table that took events before the fault. */
abstract class OnTinyDisk {

    @Inject
    Catalog catalog;
    @ConfigProperty(name = "floe.http.port")
    int httpPort;
    BatchedRequests client;
    TinyDiskResource disk;

    /** Ports of its own: other test runs may share this machine. */
    static Map<String, String> ownPorts() {
        return Map.of("floe.http.port", String.valueOf(Ports.free()),
                "quarkus.management.test-port", String.valueOf(Ports.free()));
    }

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
}
