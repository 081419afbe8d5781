package dev.floe.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.floe.camel.iceberg.SourceOffsets;
import dev.floe.testing.FaultProxy;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * The table a Floe process writes in a test, with its warehouse on S3: S3Proxy in this JVM (an in-memory blob store,
 * real AWS v4 authentication) that Floe reaches only through a {@link FaultProxy}, and a JDBC catalog in a SQLite file
 * of the test's folder. The test reads the table back straight from S3Proxy, never through the proxy.
 */
final class ProcessS3Warehouse implements AutoCloseable {

    static final TableIdentifier TABLE = TableIdentifier.parse("default.events");
    private static final String ACCESS_KEY = "floe-access";
    private static final String SECRET_KEY = "s3-secret-41c8d2";
    private static final String BUCKET = "warehouse";

    private final Path dir;
    private final S3Proxy s3;
    final FaultProxy proxy;

    private ProcessS3Warehouse(Path dir, S3Proxy s3) {
        this.dir = dir;
        this.s3 = s3;
        this.proxy = FaultProxy.start(s3.getPort());
    }

    static ProcessS3Warehouse start(Path dir) throws Exception {
        TransientNio2BlobStore store = new TransientNio2BlobStore();
        S3Proxy s3 = S3Proxy.builder().blobStore(store)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0")).build();
        s3.start();
        while (!s3.getState().equals("STARTED")) {
            Thread.onSpinWait();
        }
        store.createContainer(BUCKET);
        return new ProcessS3Warehouse(dir, s3);
    }

    /** Floe's catalog, as system properties: a key such as s3.path-style-access has no environment variable. */
    List<String> floeProperties() {
        List<String> properties = new ArrayList<>();
        catalog(proxy.port()).forEach((k, v) -> properties.add("-Dfloe.catalog.properties." + k + "=" + v));
        return properties;
    }

    /** The ids of the rows of default.events, read with Iceberg's reader (which opens every data file). */
    List<String> ids() {
        try (Reader reader = new Reader();
                CloseableIterable<Record> rows = IcebergGenerics.read(reader.catalog.loadTable(TABLE)).build()) {
            List<String> ids = new ArrayList<>();
            rows.forEach(r -> ids.add((String) r.getField("id")));
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Rows in the table, and of them those of a Kafka consumer group on these partitions (its watermarks + 1), from the
     * snapshots' summaries: cheap, no data file is read. Zero while the table does not exist.
     */
    Progress progress(String kafkaGroup, Set<String> partitions) {
        try (Reader reader = new Reader()) {
            if (!reader.catalog.tableExists(TABLE)) {
                return new Progress(0, 0);
            }
            Table table = reader.catalog.loadTable(TABLE);
            Snapshot current = table.currentSnapshot();
            if (current == null) {
                return new Progress(0, 0);
            }
            long kafka = SourceOffsets.read(table, "kafka." + kafkaGroup, partitions).values().stream()
                    .mapToLong(w -> w + 1).sum();
            return new Progress(Long.parseLong(current.summary().getOrDefault("total-records", "0")), kafka);
        }
    }

    /** What the table holds: rows in all, and Kafka records absorbed. */
    record Progress(long rows, long kafkaRecords) {
    }

    private Map<String, String> catalog(int s3Port) {
        Map<String, String> catalog = new HashMap<>();
        catalog.put("type", "jdbc");
        // the test reads the catalog while Floe commits: readers must not make Floe's commits fail
        catalog.put("uri", "jdbc:sqlite:" + dir.resolve("catalog.db") + "?journal_mode=WAL&busy_timeout=10000");
        catalog.put("warehouse", "s3://" + BUCKET + "/floe");
        catalog.put("io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
        catalog.put("s3.endpoint", "http://127.0.0.1:" + s3Port);
        catalog.put("s3.path-style-access", "true");
        catalog.put("s3.access-key-id", ACCESS_KEY);
        catalog.put("s3.secret-access-key", SECRET_KEY);
        catalog.put("client.region", "us-east-1");
        catalog.put("http-client.type", "urlconnection");
        return catalog;
    }

    /** A catalog client of this JVM, on S3Proxy directly; named as Floe's: a JDBC catalog keeps tables by name. */
    private final class Reader implements AutoCloseable {

        final Catalog catalog = CatalogUtil.buildIcebergCatalog("floe", catalog(s3.getPort()), new Configuration());

        @Override
        public void close() {
            try {
                ((AutoCloseable) catalog).close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() throws Exception {
        proxy.close();
        s3.stop();
    }
}
