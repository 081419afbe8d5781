package dev.floe.app;

import static dev.floe.app.HttpToIcebergIT.binary;
import static dev.floe.app.HttpToIcebergIT.post;
import static dev.floe.app.Problems.assertNothingWritten;
import static dev.floe.app.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import dev.floe.camel.iceberg.cloudevents.CloudEventLimits;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * Caps on what a sender controls, over HTTP: 413 with a problem body naming the limit, 422 for inferred columns past
 * their cap or badly named, and nothing written in either case.
 */
@QuarkusTest
@TestProfile(LimitsIT.Limits.class)
class LimitsIT {

    public static class Limits implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = new HashMap<>();
            c.put("floe.data-dir", "target/limits-data");
            c.put("floe.limits.max-extensions", "2");
            c.put("floe.limits.max-inferred-columns", "3");
            c.put("floe.routing.rules.\"lim.inferred\"", "lim.inferred");
            c.put("floe.tables.\"lim.inferred\".schema-mode", "inferred");
            return c;
        }
    }

    @Inject
    Catalog catalog;
    @Inject
    CamelContext camel;

    private static HttpResponse<String> structured(String json) throws Exception {
        return post(HttpRequest.newBuilder().header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static String event(String id, String type, String more) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/limits\",\"type\":\"" + type + "\"" + more
                + "}";
    }

    @Test
    void readersThatLookTheLimitsUpInTheRegistryGetFloes() {
        // the AMQP reader and the iceberg:application-cloudevents data type find the limits there
        assertThat(CloudEventLimits.of(camel).maxExtensions()).isEqualTo(2);
    }

    @Test
    void oversizedAttributesAre413NamingTheLimitWithoutEchoingTheValue() throws Exception {
        String prefix = "big-" + UUID.randomUUID();
        String id = prefix + "x".repeat(100_000);
        HttpResponse<String> response = structured(event(id, "t", ""));
        assertProblem(response, 413, "Content Too Large", "\"attribute\":\"id\"", "maxAttributeBytes (2048)");
        assertThat(response.body()).doesNotContain("x".repeat(100));
        assertNothingWritten(catalog, prefix);
    }

    @Test
    void extensionsPastTheConfiguredCapAre413() throws Exception {
        String id = "ext-" + UUID.randomUUID();
        assertProblem(post(binary(id).header("ce-a", "1").header("ce-b", "2").header("ce-c", "3")), 413,
                "maxExtensions (2)");
        assertThat(post(binary(id).header("ce-a", "1").header("ce-b", "2")).statusCode()).isEqualTo(204);
        assertThat(Tables.rowsWithIdPrefix(catalog, "default.events", id)).hasSize(1);
    }

    @Test
    void deepJsonIs413NotAServerError() throws Exception {
        String id = "deep-" + UUID.randomUUID();
        String deep = "[".repeat(2000) + "]".repeat(2000);
        assertProblem(structured(event(id, "t", ",\"data\":" + deep)), 413, "maxJsonDepth (64)");
        assertProblem(post(binary(id).POST(HttpRequest.BodyPublishers.ofString(deep))), 413, "maxJsonDepth (64)");
        assertProblem(post(HttpRequest.newBuilder().header("Content-Type", "application/cloudevents-batch+json")
                .POST(HttpRequest.BodyPublishers.ofString("[" + event(id, "t", ",\"data\":" + deep) + "]"))), 413,
                "maxJsonDepth (64)");
        assertProblem(structured(event(id, "t", ",\"data\":{\"n\":" + "9".repeat(2000) + "}")), 413,
                "maxJsonNumberLength (100)");
        assertNothingWritten(catalog, id);
    }

    @Test
    void inferredColumnsPastTheirCapOrBadlyNamedAre422AndWriteNothing() throws Exception {
        String id = "inf-" + UUID.randomUUID();
        assertThat(structured(event(id + "-ok", "lim.inferred", ",\"data\":{\"a\":1,\"b\":2,\"c\":3}")).statusCode())
                .isEqualTo(204);
        assertProblem(structured(event(id + "-more", "lim.inferred", ",\"data\":{\"d\":4}")), 422,
                "maxInferredColumns (3)");
        assertProblem(structured(event(id + "-dot", "lim.inferred", ",\"data\":{\"a.b\":4}")), 422,
                "inferredColumnPattern");
        assertProblem(structured(event(id + "-empty", "lim.inferred", ",\"data\":{\"\":4}")), 422,
                "inferredColumnPattern");

        assertThat(Tables.rowsWithIdPrefix(catalog, "lim.inferred", id)).extracting(r -> r.getField("id"))
                .containsExactly(id + "-ok");
        Types.StructType payload = catalog.loadTable(TableIdentifier.parse("lim.inferred")).schema()
                .findField("payload").type().asStructType();
        assertThat(payload.fields()).extracting(Types.NestedField::name).containsExactly("a", "b", "c");
    }
}
