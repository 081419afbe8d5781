package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;

/**
 * A batch completed while the JVM exits still commits, although Iceberg's shutdown hook has shut its worker pools: in a
 * JVM of its own ({@link ShutdownCommit}), read back here with Iceberg's reader.
 */
class ShutdownCommitTest {

    @Test
    void aBatchCommittedDuringShutdownNeedsNoIcebergWorkerPool() throws Exception {
        Path dir = Files.createTempDirectory("floe-shutdown");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ShutdownCommit.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(output).as(output).contains("committed").doesNotContain("failed:");
        assertThat(ids(dir)).hasSize(30).doesNotHaveDuplicates().contains("at-exit-0", "at-exit-9");
    }

    private static List<Object> ids(Path dir) throws IOException {
        Catalog catalog = CatalogUtil.buildIcebergCatalog("shutdown", Map.of("type", "jdbc", "uri",
                "jdbc:sqlite:" + dir.resolve("catalog.db"), "warehouse", dir.resolve("warehouse").toUri().toString()),
                null);
        try (CloseableIterable<Record> rows = IcebergGenerics.read(catalog.loadTable(TableIdentifier.parse(
                "it.shutdown"))).build()) {
            return StreamSupport.stream(rows.spliterator(), false).map(r -> r.getField("id"))
                    .toList();
        }
    }
}
