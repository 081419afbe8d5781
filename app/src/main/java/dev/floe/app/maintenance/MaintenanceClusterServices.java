package dev.floe.app.maintenance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.floe.app.FloeConfig;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;

/**
 * The cluster service that {@code floe.maintenance.cluster} names: Camel's file lock, or Camel's Kubernetes Lease.
 */
final class MaintenanceClusterServices {

    private MaintenanceClusterServices() {
    }

    static CamelClusterService create(FloeConfig config) throws Exception {
        return switch (config.maintenance().cluster()) {
            case FILE -> fileLock(config);
            case KUBERNETES -> kubernetesLease(config.maintenance().kubernetes());
        };
    }

    static FileLockClusterService fileLock(FloeConfig config) throws Exception {
        Path root = Path.of(config.maintenance().lockDir().orElse(config.dataDir() + "/cluster")).toAbsolutePath();
        Files.createDirectories(root);
        FileLockClusterService service = new FileLockClusterService();
        service.setRoot(root.toString());
        service.setAcquireLockDelay(1, TimeUnit.SECONDS);
        service.setAcquireLockInterval(config.maintenance().lockIntervalMs(), TimeUnit.MILLISECONDS);
        return service;
    }

    static KubernetesClusterService kubernetesLease(FloeConfig.KubernetesLease lease) {
        KubernetesClusterService service = new KubernetesClusterService();
        service.setLeaseResourceType(LeaseResourceType.Lease);
        service.setKubernetesResourceName(lease.leaseName());
        lease.namespace().ifPresent(service::setKubernetesNamespace);
        lease.podName().ifPresent(service::setPodName);
        lease.masterUrl().ifPresent(service::setMasterUrl);
        service.setClusterLabels(lease.podLabels().map(MaintenanceClusterServices::labels).orElse(Map.of()));
        service.setLeaseDurationMillis(lease.leaseDurationMs());
        service.setRenewDeadlineMillis(lease.renewDeadlineMs());
        service.setRetryPeriodMillis(lease.retryPeriodMs());
        return service;
    }

    /** {@code a=b,c=d} (an equality label selector) as a map; anything else fails start-up with the culprit named. */
    static Map<String, String> labels(String selector) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : selector.split(",")) {
            String trimmed = pair.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            if (equals <= 0 || equals == trimmed.length() - 1 || trimmed.indexOf('=', equals + 1) >= 0) {
                throw new IllegalArgumentException("floe.maintenance.kubernetes.pod-labels: '" + trimmed
                        + "' is not key=value (expected key=value,key=value)");
            }
            labels.put(trimmed.substring(0, equals).trim(), trimmed.substring(equals + 1).trim());
        }
        return labels;
    }
}
