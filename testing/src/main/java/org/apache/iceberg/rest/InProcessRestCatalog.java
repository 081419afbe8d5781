package org.apache.iceberg.rest;

import java.lang.reflect.Constructor;
import java.util.Map;

/**
 * Starts Iceberg's REST catalog test-fixture server in this JVM. Its configurable constructor is package-private, and
 * Quarkus loads tests and libraries in different class loaders, so it is reached by reflection.
 */
public final class InProcessRestCatalog {

    private final RESTCatalogServer server;

    public InProcessRestCatalog(Map<String, String> config) throws ReflectiveOperationException {
        Constructor<RESTCatalogServer> constructor = RESTCatalogServer.class.getDeclaredConstructor(Map.class);
        constructor.setAccessible(true);
        this.server = constructor.newInstance(config);
    }

    public void start() throws Exception {
        server.start(false);
    }

    public void stop() throws Exception {
        server.stop();
    }
}
