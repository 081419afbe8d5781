package dev.floe.app.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.floe.app.catalogs.PostgresResource;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The standard gRPC health service on the gRPC port, asked by grpc-java's own HealthGrpc client as Kubernetes' grpc
 * probe and grpc-health-probe ask it: SERVING while the route runs and the catalog (a real PostgreSQL behind a JDBC
 * catalog) answers, NOT_SERVING once that database is stopped, and to a watcher when the route stops.
 */
@QuarkusTest
@TestProfile(GrpcHealthIT.OnPostgres.class)
class GrpcHealthIT {

    public static class OnPostgres implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("floe.grpc.health-interval-ms", "200");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(GrpcResource.class), new TestResourceEntry(PostgresResource.class));
        }
    }

    static final String SERVICE = "floe.v1.CloudEventService";
    static final Duration PATIENCE = Duration.ofSeconds(60);

    static ManagedChannel channel;

    PostgresResource postgres;
    @Inject
    CamelContext camel;

    @BeforeAll
    static void connect() {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", GrpcResource.port).usePlaintext().build();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    static ServingStatus check(String service) {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    /** What a probe sees: the status, or the error code when the call itself fails (e.g. the port is closed). */
    static String probe(String service) {
        try {
            return check(service).name();
        } catch (StatusRuntimeException e) {
            channel.resetConnectBackoff();
            return e.getStatus().getCode().name();
        }
    }

    @Test
    void servingWhileTheCatalogAnswersNotServingWhileItIsDown() throws Exception {
        await().atMost(PATIENCE).until(() -> probe("").equals("SERVING"));
        assertThat(check(SERVICE)).isEqualTo(ServingStatus.SERVING);

        postgres.stopDatabase();
        try {
            await().atMost(PATIENCE).until(() -> check(SERVICE) == ServingStatus.NOT_SERVING);
            assertThat(check("")).isEqualTo(ServingStatus.NOT_SERVING);
        } finally {
            postgres.startDatabase();
        }
        await().atMost(PATIENCE).until(() -> check("") == ServingStatus.SERVING);
        assertThat(check(SERVICE)).isEqualTo(ServingStatus.SERVING);
    }

    @Test
    void aServiceItDoesNotServeIsNotFound() {
        assertThatThrownBy(() -> check("grpc.reflection.v1.ServerReflection"))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void aWatcherSeesNotServingWhenTheRouteStopsAndTheServiceComesBackWithTheRoute() throws Exception {
        await().atMost(PATIENCE).until(() -> probe(SERVICE).equals("SERVING"));
        List<ServingStatus> seen = new CopyOnWriteArrayList<>();
        HealthGrpc.newStub(channel).watch(HealthCheckRequest.newBuilder().setService(SERVICE).build(),
                new StreamObserver<>() {

                    @Override
                    public void onNext(HealthCheckResponse response) {
                        seen.add(response.getStatus());
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        await().atMost(PATIENCE).until(() -> seen.contains(ServingStatus.SERVING));

        // what a shutdown does first: the route stops (its consumer, the gRPC server, with it)
        camel.getRouteController().stopRoute("grpc-to-iceberg");
        try {
            await().atMost(PATIENCE)
                    .until(() -> !seen.isEmpty() && seen.get(seen.size() - 1) == ServingStatus.NOT_SERVING);
            assertThat(probe("")).isEqualTo("UNAVAILABLE");
        } finally {
            camel.getRouteController().startRoute("grpc-to-iceberg");
        }
        await().atMost(PATIENCE).until(() -> probe("").equals("SERVING"));
        assertThat(check(SERVICE)).isEqualTo(ServingStatus.SERVING);
    }
}
