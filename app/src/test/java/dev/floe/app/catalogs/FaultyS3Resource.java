package dev.floe.app.catalogs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.floe.testing.Directories;
import dev.floe.testing.FaultProxy;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * An object store that misbehaves on demand: S3Proxy behind a {@link FaultProxy}. Floe gets a JDBC catalog on SQLite
 * with an {@code s3://} warehouse whose {@code s3.endpoint} is the proxy; the test reads the same catalog through the
 * store directly, so it sees what any other reader sees while the fault lasts.
 */
public class FaultyS3Resource implements QuarkusTestResourceLifecycleManager {

    private S3Server s3;
    private FaultProxy proxy;
    private Path dir;
    private Map<String, String> direct;

    @Override
    public Map<String, String> start() {
        try {
            s3 = new S3Server();
            proxy = FaultProxy.start(s3.port());
            dir = Files.createTempDirectory("floe-s3-faults");
            direct = new HashMap<>(s3.fileIo());
            direct.put("type", "jdbc");
            direct.put("uri", "jdbc:sqlite:" + dir.resolve("catalog.db") + "?journal_mode=WAL&busy_timeout=5000");
            direct.put("warehouse", "s3://" + S3Server.BUCKET + "/faults");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> floe = new HashMap<>();
        direct.forEach((k, v) -> floe.put("floe.catalog.properties." + k, v));
        floe.put("floe.catalog.properties.s3.endpoint", "http://127.0.0.1:" + proxy.port());
        return floe;
    }

    /** The fault proxy between Floe and the object store. */
    public FaultProxy proxy() {
        return proxy;
    }

    /** Catalog properties of Floe's catalog, but talking to the object store directly. */
    public Map<String, String> directCatalog() {
        return direct;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(this, new TestInjector.MatchesType(FaultyS3Resource.class));
    }

    @Override
    public void stop() {
        try {
            proxy.close();
            s3.stop();
            Directories.delete(dir);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
