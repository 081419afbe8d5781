package dev.floe.app.routes;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the routes when a YAML file in the routes folder is added, changed or removed, while Floe runs. Camel's own
 * watcher (camel.main.routes-reload-enabled) misses Kubernetes ConfigMap updates: the kubelet swaps a symlinked folder
 * ({@code ..data}), the file names users see never change, and a directory watch reports only folder events, which
 * Camel skips. So this strategy compares the files' contents every interval instead, and lets Camel's
 * {@link RouteWatcherReloadStrategy} do the reload itself (all routes are stopped, which commits the batches in
 * memory, and loaded again).
 */
public class RoutesFolderReload extends RouteWatcherReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(RoutesFolderReload.class);

    private final Path folder;
    private final long intervalMillis;
    private Map<Path, String> digests = Map.of();
    private ScheduledExecutorService poller;

    public RoutesFolderReload(Path folder, long intervalMillis) {
        super(folder.toString(), false);
        this.folder = folder;
        this.intervalMillis = intervalMillis;
        setPattern("*.yaml");
        // no WatchService thread: the poller below finds the changes
        setScheduler(false);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        digests = digests();
        poller = getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "RoutesReload");
        poller.scheduleWithFixedDelay(this::reloadChanged, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        LOG.info("Reloading routes when the YAML files in {} change (checked every {} ms)", folder, intervalMillis);
    }

    @Override
    protected void doStop() throws Exception {
        if (poller != null) {
            getCamelContext().getExecutorServiceManager().shutdownNow(poller);
            poller = null;
        }
        super.doStop();
    }

    void reloadChanged() {
        if (!isRunAllowed() || getCamelContext().isStopping() || getCamelContext().isStopped()) {
            // never start routes again while Camel shuts down
            return;
        }
        try {
            Map<Path, String> now = digests();
            if (now.equals(digests)) {
                return;
            }
            TreeSet<Path> changed = new TreeSet<>(now.keySet());
            changed.addAll(digests.keySet());
            changed.removeIf(file -> Objects.equals(now.get(file), digests.get(file)));
            // every file of the folder, and those just removed, not only the changed ones: Camel removes all routes,
            // then loads again the file of each route not named here, once per route, so a file holding several
            // routes (maintenance.yaml) came back as duplicate route ids and the reload failed
            TreeSet<Path> all = new TreeSet<>(now.keySet());
            all.addAll(digests.keySet());
            // remembered before the reload, so a broken file is reported once, not on every poll
            digests = now;
            List<Resource> resources = new ArrayList<>();
            for (Path file : all) {
                resources.add(PluginHelper.getResourceLoader(getCamelContext()).resolveResource("file:" + file));
            }
            LOG.info("Route files changed: {}; reloading the routes", changed);
            onRouteReload(resources, false);
            setLastError(null);
            incSucceededCounter();
        } catch (Exception e) {
            incFailedCounter();
            setLastError(e);
            LOG.warn("Reloading the routes from {} failed: {}", folder, e.getMessage(), e);
        }
    }

    /** Whether the last reload failed: then the routes of the folder are not running. */
    public boolean lastReloadFailed() {
        return getLastError() != null;
    }

    /** SHA-256 of each *.yaml file in the folder, read through symlinks as the kubelet lays a ConfigMap out. */
    private Map<Path, String> digests() throws IOException {
        Map<Path, String> result = new TreeMap<>();
        if (!Files.isDirectory(folder)) {
            return result;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.yaml")) {
            for (Path file : files) {
                if (Files.isRegularFile(file)) {
                    result.put(file, sha256(Files.readAllBytes(file)));
                }
            }
        }
        return result;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
