package dev.floe.app.grpc;

import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.NegotiationType;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import dev.floe.app.security.IngestTls;
import org.apache.camel.Processor;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.grpc.GrpcAuthType;
import org.apache.camel.component.grpc.GrpcConfiguration;
import org.apache.camel.support.DefaultConsumer;

/**
 * The gRPC server of routes/grpc-to-iceberg.yaml: Floe's {@code floe.v1.CloudEventService}, grpc-java's standard
 * health service ({@code grpc.health.v1.Health}, Check and Watch) and server reflection on one port, built from the
 * endpoint's camel-grpc options.
 * <p>
 * camel-grpc's own consumer cannot carry a second service: {@code GrpcConsumer.initializeServer} adds exactly the one
 * {@code BindableService} its factory returns, a {@code ServerServiceDefinition} holds the methods of one service name
 * only, and its server interceptors run only for methods that were found. Hence this consumer.
 * <p>
 * Health rule: SERVING (for "" and for the CloudEvents service) only while the route is started and the catalog answers
 * ({@code ready}, the readiness check of the management port), checked every {@code intervalMs}; NOT_SERVING before
 * the first check and from the moment the route stops, before the port closes.
 */
final class CloudEventGrpcServer extends DefaultConsumer {

    private final GrpcConfiguration configuration;
    private final CloudEventGrpcService service;
    private final BooleanSupplier ready;
    private final long intervalMs;
    private final IngestTls tls;
    private HealthStatusManager health;
    private Server server;
    /** The server of the previous start, answering the calls it still held (a Watch never ends on its own). */
    private Server closing;
    private ScheduledExecutorService checks;
    /** Runs the hand-off of streams' bursts into the route; the previous start's serves the calls that server held. */
    private ExecutorService handOff;
    private ExecutorService closingHandOff;

    CloudEventGrpcServer(CloudEventGrpcEndpoint endpoint, Processor processor, CloudEventGrpcService service,
            BooleanSupplier ready, long intervalMs, IngestTls tls) {
        super(endpoint, processor);
        this.configuration = endpoint.getConfiguration();
        this.service = service;
        this.ready = ready;
        this.intervalMs = intervalMs;
        this.tls = tls;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        refuseUnsupportedOptions();
        if (closing != null) {
            closing.shutdownNow();
            closing = null;
        }
        shutdownClosingHandOff();
        handOff = getEndpoint().getCamelContext().getExecutorServiceManager().newCachedThreadPool(this,
                "GrpcStreamHandOff");
        // a new manager per start: a stopped server's manager is in its terminal state for good
        health = new HealthStatusManager();
        setStatus(ServingStatus.NOT_SERVING);
        server = newServer().start();
        checks = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "GrpcHealth");
        checks.scheduleWithFixedDelay(this::check, 0, intervalMs, TimeUnit.MILLISECONDS);
    }

    private Server newServer() {
        NettyServerBuilder builder = NettyServerBuilder
                .forAddress(new InetSocketAddress(configuration.getHost(), configuration.getPort()))
                .addService(service.bind(this, handOff))
                .addService(health.getHealthService())
                // server reflection (v1 and the v1alpha most clients still ask first), so grpcurl needs no .proto
                .addService(ProtoReflectionServiceV1.newInstance())
                .addService(ProtoReflectionService.newInstance())
                .maxInboundMessageSize(configuration.getMaxMessageSize())
                .flowControlWindow(configuration.getFlowControlWindow())
                .maxConcurrentCallsPerConnection(configuration.getMaxConcurrentCallsPerConnection())
                .initialFlowControlWindow(configuration.getInitialFlowControlWindow())
                .keepAliveTime(configuration.getKeepAliveTime(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(configuration.getKeepAliveTimeout(), TimeUnit.MILLISECONDS)
                .maxConnectionAge(configuration.getMaxConnectionAge(), TimeUnit.MILLISECONDS)
                .maxConnectionIdle(configuration.getMaxConnectionIdle(), TimeUnit.MILLISECONDS)
                .maxConnectionAgeGrace(configuration.getMaxConnectionAgeGrace(), TimeUnit.MILLISECONDS)
                .maxInboundMetadataSize(configuration.getMaxInboundMetadataSize())
                .permitKeepAliveTime(configuration.getPermitKeepAliveTime(), TimeUnit.MILLISECONDS)
                .permitKeepAliveWithoutCalls(configuration.isPermitKeepAliveWithoutCalls());
        if (configuration.getMaxRstFramesPerWindow() > 0 && configuration.getMaxRstPeriodSeconds() > 0) {
            builder.maxRstFramesPerWindow(configuration.getMaxRstFramesPerWindow(),
                    configuration.getMaxRstPeriodSeconds());
        }
        if (tls.enabled()) {
            // the HTTP port's certificate, client CA and allowed subjects, reloaded as there: never plaintext beside it
            builder.sslContext(new CurrentSslContext(tls::http2Context));
        }
        for (ServerInterceptor interceptor : configuration.getServerInterceptors()) {
            builder.intercept(interceptor);
        }
        return builder.build();
    }

    /** Options this server does not implement fail the start instead of being ignored. */
    private void refuseUnsupportedOptions() {
        if (configuration.getNegotiationType() == NegotiationType.TLS) {
            throw new IllegalArgumentException(CloudEventGrpcService.SERVICE
                    + " does not take negotiationType=TLS: it serves TLS with the floe.http.tls.* settings");
        }
        if (configuration.getAuthenticationType() != GrpcAuthType.NONE) {
            throw new IllegalArgumentException(CloudEventGrpcService.SERVICE
                    + " does not take authenticationType: it checks bearer tokens with the floe.http.auth.* settings");
        }
    }

    void check() {
        boolean serving;
        try {
            ServiceStatus route = getEndpoint().getCamelContext().getRouteController().getRouteStatus(getRouteId());
            serving = route != null && route.isStarted() && ready.getAsBoolean();
        } catch (RuntimeException e) {
            serving = false;
        }
        setStatus(serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    }

    private void setStatus(ServingStatus status) {
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
        health.setStatus(CloudEventGrpcService.SERVICE, status);
    }

    @Override
    protected void doStop() throws Exception {
        if (checks != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(checks);
            checks = null;
        }
        if (health != null) {
            // NOT_SERVING for good, told to watchers and probes while the port still answers
            health.enterTerminalState();
        }
        if (server != null) {
            // no new calls, the port is closed; a call waiting for its commit is still answered when the commit ends
            closing = server.shutdown();
            server = null;
        }
        // the streams of the closing server still hand their events on
        closingHandOff = handOff;
        handOff = null;
        super.doStop();
    }

    @Override
    protected void doShutdown() throws Exception {
        if (closing != null) {
            closing.shutdownNow();
            closing = null;
        }
        shutdownClosingHandOff();
        super.doShutdown();
    }

    private void shutdownClosingHandOff() {
        if (closingHandOff != null) {
            // graceful: a hand-off under way ends as soon as the route has taken its burst
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdown(closingHandOff);
            closingHandOff = null;
        }
    }
}
