package dev.floe.app;

import static dev.floe.app.HttpToIcebergIT.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/** Events routed by type into three tables, each with its own settings, all over HTTP. */
@QuarkusTest
@TestProfile(RoutingIT.Routing.class)
class RoutingIT {

    public static class Routing implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = new HashMap<>();
            c.put("floe.data-dir", "target/routing-data");
            c.put("floe.routing.rules.\"com.example.order.*\"", "sales.orders");
            c.put("floe.routing.rules.\"com.example.user\"", "crm.users");
            c.put("floe.routing.rules.\"com.example.metric\"", "ops.metrics");
            c.put("floe.routing.unmatched", "reject");
            c.put("floe.tables.\"sales.orders\".partition-spec", "day(time), identity(type)");
            c.put("floe.tables.\"sales.orders\".schema-mode", "inferred");
            c.put("floe.tables.\"crm.users\".schema-mode", "inferred");
            c.put("floe.tables.\"crm.users\".write-mode", "upsert");
            c.put("floe.tables.\"crm.users\".identifier-fields", "payload.id");
            return c;
        }
    }

    @Inject
    Catalog catalog;

    private static String event(String id, String type, String time, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/routing\",\"type\":\"" + type + "\","
                + "\"time\":\"" + time + "\",\"data\":" + data + "}";
    }

    private static HttpResponse<String> batch(String... events) throws Exception {
        return post(HttpRequest.newBuilder().header("Content-Type", "application/cloudevents-batch+json")
                .POST(HttpRequest.BodyPublishers.ofString("[" + String.join(",", events) + "]")));
    }

    private List<Record> rows(String table, String prefix) {
        return Tables.rowsWithIdPrefix(catalog, table, prefix);
    }

    @Test
    void eventsLandInTheirTablesWithTheirSettings() throws Exception {
        String p = "r-" + UUID.randomUUID() + "-";
        HttpResponse<String> response = batch(
                event(p + "1", "com.example.order.created", "2026-11-20T10:00:00Z", "{\"qty\":5}"),
                event(p + "2", "com.example.order.paid", "2026-11-21T10:00:00Z", "{\"qty\":6}"),
                event(p + "3", "com.example.user", "2026-11-21T10:00:00Z", "{\"id\":1,\"name\":\"Ada\"}"),
                event(p + "4", "com.example.metric", "2026-11-21T10:00:00Z", "{\"cpu\":0.5}"));
        assertThat(response.statusCode()).isEqualTo(204);

        assertThat(rows("sales.orders", p)).hasSize(2);
        assertThat(rows("crm.users", p)).hasSize(1);
        assertThat(rows("ops.metrics", p)).hasSize(1);
        Table orders = catalog.loadTable(TableIdentifier.parse("sales.orders"));
        assertThat(orders.spec().fields()).extracting(f -> f.transform().toString()).containsExactly("day", "identity");
        for (DataFile file : orders.currentSnapshot().addedDataFiles(orders.io())) {
            String type = file.partition().get(1, String.class);
            assertThat(file.location()).contains("type=" + type).containsPattern("time_day=2026-11-2[01]");
        }
        assertThat(orders.schema().findType("payload.qty")).isEqualTo(Types.IntegerType.get());
        assertThat(catalog.loadTable(TableIdentifier.parse("ops.metrics")).schema().findField("payload")).isNull();
    }

    @Test
    void unmatchedEventsAreRejectedWithTheWholeRequest() throws Exception {
        String p = "u-" + UUID.randomUUID() + "-";
        HttpResponse<String> response = batch(
                event(p + "1", "com.example.metric", "2026-11-21T10:00:00Z", "{}"),
                event(p + "2", "../../etc/passwd", "2026-11-21T10:00:00Z", "{}"));
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("matches no floe.routing.rules pattern");
        assertThat(post(HttpToIcebergIT.binary(p + "3").setHeader("ce-type", "com.example.metric")).statusCode())
                .isEqualTo(204);
        assertThat(rows("ops.metrics", p)).extracting(r -> r.getField("id")).containsExactly(p + "3");
    }

    @Test
    void typedColumnsEvolveAndIncompatibleEventsAreRejectedAlone() throws Exception {
        String p = "e-" + UUID.randomUUID() + "-";
        String t = "2026-11-21T10:00:00Z";
        assertThat(batch(event(p + "1", "com.example.order.x", t, "{\"amount\":1,\"meta\":{\"a\":1}}")).statusCode())
                .isEqualTo(204);
        assertThat(batch(event(p + "2", "com.example.order.x", t,
                "{\"amount\":9000000000,\"meta\":{\"b\":\"new\"},\"note\":\"n\"}")).statusCode()).isEqualTo(204);
        HttpResponse<String> bad = batch(event(p + "3", "com.example.order.x", t, "{\"amount\":\"lots\"}"));
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.body()).contains("data.amount");
        assertThat(batch(event(p + "4", "com.example.order.x", t, "{\"amount\":2}")).statusCode()).isEqualTo(204);

        Table orders = catalog.loadTable(TableIdentifier.parse("sales.orders"));
        assertThat(orders.schema().findType("payload.amount")).isEqualTo(Types.LongType.get());
        assertThat(orders.schema().findType("payload.meta.b")).isEqualTo(Types.StringType.get());
        Map<Object, Record> byId = new TreeMap<>();
        rows("sales.orders", p).forEach(r -> byId.put(r.getField("id"), (Record) r.getField("payload")));
        assertThat(byId.keySet()).containsExactly(p + "1", p + "2", p + "4");
        assertThat(byId.get(p + "1").getField("note")).isNull();
        assertThat(byId.get(p + "2").getField("amount")).isEqualTo(9000000000L);
    }

    @Test
    void upsertsOverHttp() throws Exception {
        String p = "up-" + UUID.randomUUID() + "-";
        String t = "2026-11-21T10:00:00Z";
        assertThat(batch(event(p + "1", "com.example.user", t, "{\"id\":100,\"name\":\"Ada\"}"),
                event(p + "2", "com.example.user", t, "{\"id\":101,\"name\":\"Bob\"}")).statusCode()).isEqualTo(204);
        assertThat(batch(event(p + "3", "com.example.user", t,
                "{\"op\":\"u\",\"before\":{\"id\":100},\"after\":{\"id\":100,\"name\":\"Ada L.\"}}")).statusCode())
                .isEqualTo(204);
        assertThat(batch(event(p + "4", "com.example.user", t, "{\"op\":\"d\",\"before\":{\"id\":101}}")).statusCode())
                .isEqualTo(204);
        // an unknown op is refused where the event is read, alone; the next good event lands
        HttpResponse<String> bad = batch(event(p + "5", "com.example.user", t,
                "{\"op\":\"x\",\"after\":{\"id\":102,\"name\":\"Eve\"}}"));
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.body()).contains("unknown op 'x'");
        assertThat(batch(event(p + "6", "com.example.user", t, "{\"id\":103,\"name\":\"Cy\"}")).statusCode())
                .isEqualTo(204);
        Map<Object, Object> state = new TreeMap<>();
        rows("crm.users", p).forEach(r -> {
            Record payload = (Record) r.getField("payload");
            state.put(payload.getField("id"), payload.getField("name"));
        });
        assertThat(state).isEqualTo(Map.of(100, "Ada L.", 103, "Cy"));
    }
}
