package dev.floe.app.maintenance;

import java.util.HashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * fabric8's Kubernetes API server emulation (CRUD mode) holding this process's pod, running and ready, and the settings
 * that point floe.maintenance.cluster=kubernetes at it.
 */
public class KubernetesApiResource implements QuarkusTestResourceLifecycleManager {

    static final String NAMESPACE = "floe-it";
    static final String POD = "floe-0";

    static KubernetesMockServer server;
    static KubernetesClient client;

    @Override
    public Map<String, String> start() {
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
        client.pods().inNamespace(NAMESPACE).resource(new PodBuilder()
                .withNewMetadata().withName(POD).addToLabels("app.kubernetes.io/name", "floe").endMetadata()
                .withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus()
                .build()).create();
        return Map.of(
                "floe.maintenance.cluster", "kubernetes",
                "floe.maintenance.kubernetes.master-url", client.getConfiguration().getMasterUrl(),
                "floe.maintenance.kubernetes.namespace", NAMESPACE,
                "floe.maintenance.kubernetes.pod-name", POD,
                "floe.maintenance.kubernetes.pod-labels", "app.kubernetes.io/name=floe");
    }

    @Override
    public void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.destroy();
        }
    }
}
