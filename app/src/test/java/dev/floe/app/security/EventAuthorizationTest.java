package dev.floe.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;

import dev.floe.app.routing.TableBatch;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class EventAuthorizationTest {

    private static EventAuthorization authorization(Map<String, String> grants) {
        EventAuthorization authorization = new EventAuthorization();
        authorization.config = TestConfig.of(grants);
        authorization.init();
        return authorization;
    }

    private static CloudEvent event(String id, String type, String source) {
        return CloudEventBuilder.v1().withId(id).withType(type).withSource(URI.create(source)).build();
    }

    private static Exchange request(String principal, TableBatch... batches) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        if (principal != null) {
            exchange.setProperty(IngestAuthentication.PRINCIPAL, principal);
        }
        exchange.getIn().setBody(List.of(batches));
        return exchange;
    }

    private static TableBatch batch(String table, CloudEvent... events) {
        return new TableBatch(table, "iceberg:" + table, List.of(events));
    }

    private static final Map<String, String> GRANTS = Map.of(
            "floe.authorization.grants.orders.principal", "orders-*",
            "floe.authorization.grants.orders.types", "com.example.order.*, com.example.refund",
            "floe.authorization.grants.orders.tables", "sales.orders",
            "floe.authorization.grants.audit.principal", "CN=auditor,O=Example",
            "floe.authorization.grants.audit.sources", "/audit/*");

    @Test
    void aGrantMustMatchSenderTypeSourceAndTable() {
        EventAuthorization authorization = authorization(GRANTS);
        authorization.process(request("orders-eu", batch("sales.orders", event("1", "com.example.order.paid", "/a"),
                event("2", "com.example.refund", "/b"))));
        authorization.process(request("CN=auditor,O=Example", batch("any.table", event("3", "x", "/audit/7"))));

        assertThatThrownBy(() -> authorization.process(request("orders-eu",
                batch("sales.orders", event("4", "com.example.order.paid", "/a")),
                batch("crm.users", event("5", "com.example.order.paid", "/a")))))
                .isInstanceOf(ForbiddenEventException.class)
                .hasMessageContaining("'orders-eu' may not send event 5").hasMessageContaining("crm.users");
        assertThatThrownBy(() -> authorization.process(request("orders-eu",
                batch("sales.orders", event("6", "com.example.user", "/a")))))
                .hasMessageContaining("type com.example.user");
        assertThatThrownBy(() -> authorization.process(request("CN=auditor,O=Example",
                batch("any.table", event("7", "x", "/prod")))))
                .hasMessageContaining("source /prod");
        // globs are globs, not regular expressions
        assertThatThrownBy(() -> authorization.process(request("orders-eu",
                batch("salesXorders", event("8", "com.example.order.paid", "/a")))))
                .isInstanceOf(ForbiddenEventException.class);
        assertThatThrownBy(() -> authorization.process(request(null,
                batch("sales.orders", event("9", "com.example.order.paid", "/a")))))
                .hasMessageContaining("'anonymous'");
    }

    @Test
    void withoutGrantsEverythingPasses() {
        authorization(Map.of()).process(request(null, batch("any.table", event("1", "any", "/any"))));
        assertThat(dev.floe.app.Globs.of("a.*").matcher("a.b.c").matches()).isTrue();
        assertThat(dev.floe.app.Globs.of("a.*").matcher("aXb").matches()).isFalse();
    }
}
