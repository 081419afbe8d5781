package dev.floe.app.plain;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.app.FloeConfig;
import dev.floe.app.batch.Admission;
import dev.floe.app.batch.AwaitCommit;
import dev.floe.app.batch.EventBatchAggregation;
import dev.floe.app.catalog.CatalogProbe;
import dev.floe.app.catalog.CatalogProducer;
import dev.floe.app.grpc.CloudEventGrpcComponent;
import dev.floe.app.grpc.CloudEventGrpcService;
import dev.floe.app.grpc.GrpcCloudEventReader;
import dev.floe.app.grpc.GrpcStatusResponder;
import dev.floe.app.http.HttpCloudEventReader;
import dev.floe.app.http.HttpHeaderAllowList;
import dev.floe.app.http.HttpProblemResponder;
import dev.floe.app.http.IngestPipeline;
import dev.floe.app.routing.TableBatchStep;
import dev.floe.app.routing.TableCheck;
import dev.floe.app.routing.TableRouter;
import dev.floe.app.security.EventAuthorization;
import dev.floe.app.security.IngestAuthentication;
import dev.floe.app.security.IngestTls;
import dev.floe.camel.iceberg.cloudevents.CloudEventLimits;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.inject.Named;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.ContextServicePlugin;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.iceberg.catalog.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the beans routes/*.yaml refer to into a plain Camel context (Camel Main, Camel K, Camel JBang): found by
 * Camel's service loader when this jar is on the class path, so nothing needs configuring. Only names the registry
 * does not already hold are bound, lazily: in the Floe application its CDI container provides them all and nothing
 * here is created.
 */
public class RouteBeansPlugin implements ContextServicePlugin {

    private static final Logger LOG = LoggerFactory.getLogger(RouteBeansPlugin.class);

    /** The beans the routes name ({@code ref:}, {@code #name}), each under its {@code @Named} name. */
    static final List<Class<?>> ROUTE_BEANS = List.of(HttpHeaderAllowList.class, IngestPipeline.class,
            HttpProblemResponder.class, IngestAuthentication.class, HttpCloudEventReader.class, TableRouter.class,
            EventAuthorization.class, TableCheck.class, Admission.class, TableBatchStep.class,
            EventBatchAggregation.class, AwaitCommit.class, GrpcCloudEventReader.class, GrpcStatusResponder.class);

    @Override
    public void load(CamelContext camel) {
        // at initialization, not now: the properties (floe.*) and the registry's own beans are in place by then
        camel.addLifecycleStrategy(new LifecycleStrategySupport() {

            private RouteBeanFactory beans;

            @Override
            public void onContextInitializing(CamelContext context) {
                beans = bind(context);
            }

            @Override
            public void onContextStopped(CamelContext context) {
                if (beans != null) {
                    close(beans);
                }
            }
        });
    }

    private static RouteBeanFactory bind(CamelContext camel) {
        Registry registry = camel.getRegistry();
        List<Class<?>> missing = ROUTE_BEANS.stream()
                .filter(type -> registry.lookupByName(name(type)) == null).toList();
        boolean grpcMissing = registry.lookupByName("grpc") == null;
        if (missing.isEmpty() && !grpcMissing) {
            return null;
        }
        // asked before anything is bound here: finding by type creates the beans of lazy bindings
        boolean catalogMissing = registry.findByType(Catalog.class).isEmpty();
        boolean limitsMissing = registry.findByType(CloudEventLimits.class).isEmpty();
        RouteBeanFactory beans = new RouteBeanFactory()
                .provide(CamelContext.class, () -> camel)
                .provide(FloeConfig.class, () -> CamelFloeConfig.read(camel))
                .provide(ProducerTemplate.class, camel::createProducerTemplate)
                .provide(ObjectMapper.class, ObjectMapper::new);
        beans.provide(MeterRegistry.class, () -> existing(registry, MeterRegistry.class, SimpleMeterRegistry::new))
                .provide(CloudEventLimits.class, () -> beans.get(FloeConfig.class).limits().cloudEvents())
                .provide(Catalog.class, () -> catalog(beans.get(FloeConfig.class)))
                .whenCreated(TableRouter.class, router -> router.resolveEndpoints(camel));
        for (Class<?> type : missing) {
            registry.bind(name(type), type, () -> beans.get(type));
        }
        if (catalogMissing) {
            // the iceberg component autowires it; floe.catalog.* (none: the embedded default in floe.data-dir)
            registry.bind("floeCatalog", Catalog.class, () -> beans.get(Catalog.class));
        }
        if (grpcMissing) {
            // routes/grpc-to-iceberg.yaml's server: Floe's service with the gRPC health service on the same port
            registry.bind("grpc", Component.class, () -> new CloudEventGrpcComponent(new CloudEventGrpcService(),
                    () -> CatalogProbe.answers(beans.get(Catalog.class)),
                    beans.get(FloeConfig.class).grpc().healthIntervalMs(), beans.get(IngestTls.class)));
        }
        if (limitsMissing) {
            registry.bind("floeCloudEventLimits", CloudEventLimits.class, () -> beans.get(CloudEventLimits.class));
        }
        return beans;
    }

    private static String name(Class<?> type) {
        return type.getAnnotation(Named.class).value();
    }

    private static <T> T existing(Registry registry, Class<T> type, Supplier<T> otherwise) {
        T found = registry.findSingleByType(type);
        return found != null ? found : otherwise.get();
    }

    private static Catalog catalog(FloeConfig config) {
        try {
            return new CatalogProducer().catalog(config);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the Iceberg catalog: " + e.getMessage(), e);
        }
    }

    private static void close(RouteBeanFactory beans) {
        Catalog catalog = beans.created(Catalog.class);
        if (catalog != null) {
            try {
                new CatalogProducer().close(catalog);
            } catch (IOException e) {
                LOG.warn("Could not close the Iceberg catalog: {}", e.getMessage());
            }
        }
    }
}
