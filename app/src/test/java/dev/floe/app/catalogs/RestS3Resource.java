package dev.floe.app.catalogs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.iceberg.rest.InProcessRestCatalog;

/**
 * Iceberg's REST catalog fixture (backed by a JDBC catalog in a SQLite file, so it survives a restart) storing data in
 * S3Proxy. Floe gets the REST URI, an OAuth2 client credential and the S3 settings.
 */
public class RestS3Resource implements QuarkusTestResourceLifecycleManager {

    static final String CLIENT_SECRET = "rest-secret-51d0e2";

    private S3Server s3;
    private InProcessRestCatalog rest;
    private Map<String, String> serverConfig;

    @Override
    public Map<String, String> start() {
        try {
            // register the SQLite driver with DriverManager from this class loader (see CatalogProducer)
            java.util.ServiceLoader.load(java.sql.Driver.class, getClass().getClassLoader()).forEach(d -> {
            });
            s3 = new S3Server();
            Path dir = Files.createTempDirectory("floe-rest");
            serverConfig = new HashMap<>(s3.fileIo());
            serverConfig.put("catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog");
            serverConfig.put("uri", "jdbc:sqlite:" + dir.resolve("rest.db"));
            serverConfig.put("jdbc.schema-version", "V1");
            serverConfig.put("warehouse", "s3://" + S3Server.BUCKET + "/rest");
            serverConfig.put("rest.port", String.valueOf(Ports.free()));
            startCatalog();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> floe = new HashMap<>();
        floe.put("floe.catalog.properties.type", "rest");
        floe.put("floe.catalog.properties.uri", "http://127.0.0.1:" + serverConfig.get("rest.port"));
        floe.put("floe.catalog.properties.credential", "floe-client:" + CLIENT_SECRET);
        s3.fileIo().forEach((k, v) -> floe.put("floe.catalog.properties." + k, v));
        return floe;
    }

    public void stopCatalog() throws Exception {
        rest.stop();
    }

    public void startCatalog() throws Exception {
        rest = new InProcessRestCatalog(serverConfig);
        rest.start();
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(this, new TestInjector.MatchesType(RestS3Resource.class));
    }

    @Override
    public void stop() {
        try {
            rest.stop();
            s3.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
