package dev.floe.app.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import dev.floe.app.FloeConfig;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.master.MasterConsumer;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * Two replicas, each a CamelContext with a {@code master:} route and the Lease cluster service that
 * floe.maintenance.cluster=kubernetes installs, against fabric8's Kubernetes API server emulation (CRUD mode: it stores
 * Pods and Leases and refuses an update whose resourceVersion is stale). Of the two, one runs its route; when its pod
 * goes, the other takes the Lease and runs it.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesLeaseLeadershipTest {

    static final String NAMESPACE = "floe-test";

    // instance fields: a server of its own for each test, so that no Lease or pod of one is seen by another
    KubernetesMockServer server;
    KubernetesClient client;

    /** floe.maintenance.kubernetes.*, short so that the test is quick: a takeover waits one lease duration. */
    record LeaseConfig(String pod, String apiServer) implements FloeConfig.KubernetesLease {

        @Override
        public String leaseName() {
            return "floe";
        }

        @Override
        public Optional<String> namespace() {
            return Optional.of(NAMESPACE);
        }

        @Override
        public Optional<String> podName() {
            return Optional.of(pod);
        }

        @Override
        public Optional<String> podLabels() {
            return Optional.of("app.kubernetes.io/name=floe");
        }

        @Override
        public Optional<String> masterUrl() {
            return Optional.of(apiServer);
        }

        @Override
        public long leaseDurationMs() {
            return 2000;
        }

        @Override
        public long renewDeadlineMs() {
            return 1500;
        }

        @Override
        public long retryPeriodMs() {
            return 300;
        }
    }

    /** One replica: its context and how often its master: route has fired. */
    record Replica(String pod, CamelContext camel, AtomicLong runs) {

        boolean leader() {
            return camel.getRoutes().stream()
                    .anyMatch(route -> route.getConsumer() instanceof MasterConsumer master && master.isMaster());
        }
    }

    @Test
    void oneReplicaHoldsTheLeaseAndAnotherTakesOverWhenItsPodGoes() throws Exception {
        Replica a = replica("floe-a");
        Replica b = replica("floe-b");
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> a.leader() || b.leader());
            Replica holder = a.leader() ? a : b;
            Replica other = holder == a ? b : a;
            await().atMost(Duration.ofSeconds(10)).until(() -> holder.runs().get() > 0);
            // for several retry periods of both, the other neither leads nor runs its route
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> holder.leader() && !other.leader() && other.runs().get() == 0);
            assertThat(lease().getSpec().getHolderIdentity()).isEqualTo(holder.pod());

            // the holder stops and Kubernetes deletes its pod
            holder.camel().stop();
            client.pods().inNamespace(NAMESPACE).withName(holder.pod()).delete();

            await().atMost(Duration.ofSeconds(30)).until(other::leader);
            await().atMost(Duration.ofSeconds(10)).until(() -> other.runs().get() > 0);
            assertThat(lease().getSpec().getHolderIdentity()).isEqualTo(other.pod());
        } finally {
            a.camel().stop();
            b.camel().stop();
        }
    }

    @Test
    void aReplicaWhosePodIsNotReadyDoesNotTakeTheLease() throws Exception {
        client.pods().inNamespace(NAMESPACE).resource(pod("floe-unready", "False")).create();
        Replica unready = new Replica("floe-unready", context("floe-unready", new AtomicLong()), new AtomicLong());
        try {
            Replica ready = replica("floe-ready");
            try {
                await().atMost(Duration.ofSeconds(30)).until(ready::leader);
                assertThat(unready.leader()).isFalse();
            } finally {
                ready.camel().stop();
            }
        } finally {
            unready.camel().stop();
        }
    }

    Lease lease() {
        return client.leases().inNamespace(NAMESPACE).withName("floe-floe-maintenance").get();
    }

    Replica replica(String pod) throws Exception {
        client.pods().inNamespace(NAMESPACE).resource(pod(pod, "True")).create();
        AtomicLong runs = new AtomicLong();
        return new Replica(pod, context(pod, runs), runs);
    }

    CamelContext context(String pod, AtomicLong runs) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        camel.addService(MaintenanceClusterServices.kubernetesLease(
                new LeaseConfig(pod, client.getConfiguration().getMasterUrl())), true, true);
        camel.addRoutes(new RouteBuilder() {

            @Override
            public void configure() {
                from("master:floe-maintenance:timer:tick?period=50").process(exchange -> runs.incrementAndGet());
            }
        });
        camel.start();
        return camel;
    }

    /** A running pod of the replicas' Deployment, ready or not. */
    static Pod pod(String name, String ready) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE)
                .addToLabels("app.kubernetes.io/name", "floe").endMetadata()
                .withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus(ready).endCondition()
                .endStatus()
                .build();
    }
}
