package dev.floe.app.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import dev.floe.app.FloeConfig;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

class TableRouterTest {

    private static TableRouter router(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(FloeConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build();
        TableRouter router = new TableRouter();
        router.config = config.getConfigMapping(FloeConfig.class);
        router.init();
        return router;
    }

    private static String route(TableRouter router, String type) {
        return router.tableFor(CloudEventBuilder.v1().withId("1").withSource(URI.create("/s")).withType(type)
                .withExtension("tenant", "acme").build());
    }

    @Test
    void exactBeforeMostSpecificGlobBeforeDefault() {
        Map<String, String> p = new HashMap<>();
        p.put("floe.routing.rules.\"a.*\"", "x.any");
        p.put("floe.routing.rules.\"a.b.*\"", "x.b");
        p.put("floe.routing.rules.\"a.b.c\"", "x.exact");
        TableRouter router = router(p);
        assertThat(route(router, "a.b.c")).isEqualTo("x.exact");
        assertThat(route(router, "a.b.d")).isEqualTo("x.b");
        assertThat(route(router, "a.z")).isEqualTo("x.any");
        assertThat(route(router, "other")).isEqualTo("default.events");
    }

    @Test
    void routesOnAnExtensionAndRejectsUnmatched() {
        Map<String, String> p = new HashMap<>();
        p.put("floe.routing.attribute", "tenant");
        p.put("floe.routing.rules.acme", "tenants.acme");
        p.put("floe.routing.unmatched", "reject");
        TableRouter router = router(p);
        assertThat(route(router, "t")).isEqualTo("tenants.acme");
        p.put("floe.routing.attribute", "type");
        assertThatThrownBy(() -> route(router(p), "t")).isInstanceOf(UnroutableEventException.class)
                .hasMessageContaining("type 't'");
    }

    @Test
    void badTableNamesAreRejectedAtStartup() {
        assertThatThrownBy(() -> router(Map.of("floe.routing.rules.x", "../etc")))
                .hasMessageContaining("Invalid Iceberg table identifier");
        assertThatThrownBy(() -> router(Map.of("floe.routing.rules.x", "a.b;drop")))
                .hasMessageContaining("Invalid Iceberg table identifier");
        assertThatThrownBy(() -> router(Map.of("floe.tables.\"x/y.z\".schema-mode", "inferred")))
                .hasMessageContaining("Invalid Iceberg table identifier");
        assertThatThrownBy(() -> router(Map.of("floe.routing.unmatched", "drop")))
                .hasMessageContaining("default or reject");
    }
}
