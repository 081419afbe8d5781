package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Timestamp;
import io.cloudevents.v1.proto.CloudEvent.CloudEventAttributeValue;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;

/**
 * The HTTP route end to end: real netty-http, the real route from routes/, a real JDBC catalog on SQLite, and rows read
 * back with IcebergGenerics.
 */
@QuarkusTest
class HttpToIcebergIT {

    static final URI FLOE = URI.create("http://127.0.0.1:18080/");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    Catalog catalog;

    static HttpResponse<String> post(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.uri(FLOE).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder binary(String id) {
        return HttpRequest.newBuilder()
                .header("ce-specversion", "1.0")
                .header("ce-id", id)
                .header("ce-source", "/tests/binary")
                .header("ce-type", "dev.floe.test")
                .POST(HttpRequest.BodyPublishers.ofString("{\"n\":1}"))
                .header("Content-Type", "application/json");
    }

    private List<Record> rows(String prefix) {
        return Tables.rowsWithIdPrefix(catalog, "default.events", prefix);
    }

    private Record row(String id) {
        List<Record> rows = rows(id);
        assertThat(rows).as("rows with id %s", id).hasSize(1);
        return rows.get(0);
    }

    @Test
    void binaryModeBecomesARowWithEveryAttribute() throws Exception {
        String id = "bin-" + UUID.randomUUID();
        HttpResponse<String> response = post(HttpRequest.newBuilder()
                .header("ce-specversion", "1.0")
                .header("ce-id", id)
                .header("ce-source", "https://example.com/sensors/1")
                .header("ce-type", "dev.floe.reading")
                .header("ce-subject", "caf%C3%A9 %22x%22")
                .header("ce-time", "2026-11-22T10:00:00.5+01:00")
                .header("ce-dataschema", "https://example.com/schema.json")
                .header("ce-traceparent", "\"00-abc\"")
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"celsius\": 21.5}")));

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("Floe-Snapshot-Id")).isPresent();
        Record row = row(id);
        assertThat(row.getField("source")).isEqualTo("https://example.com/sensors/1");
        assertThat(row.getField("specversion")).isEqualTo("1.0");
        assertThat(row.getField("type")).isEqualTo("dev.floe.reading");
        assertThat(row.getField("subject")).isEqualTo("café \"x\"");
        assertThat(row.getField("time")).isEqualTo(OffsetDateTime.parse("2026-11-22T09:00:00.5Z"));
        assertThat(row.getField("datacontenttype")).isEqualTo("application/json; charset=utf-8");
        assertThat(row.getField("dataschema")).isEqualTo("https://example.com/schema.json");
        assertThat(row.getField("extensions")).isEqualTo(Map.of("traceparent", "00-abc"));
        assertThat(row.getField("data")).isEqualTo("{\"celsius\": 21.5}");
        assertThat(row.getField("data_bytes")).isNull();
        assertThat(row.getField("ingest_time")).isNotNull();
    }

    @Test
    void binaryModeWithoutJsonKeepsBytes() throws Exception {
        String id = "raw-" + UUID.randomUUID();
        HttpResponse<String> response = post(binary(id).setHeader("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[]{0, 1, 2, (byte) 0xff})));
        assertThat(response.statusCode()).isEqualTo(204);
        Record row = row(id);
        assertThat(row.getField("data")).isNull();
        assertThat(row.getField("data_bytes")).isEqualTo(ByteBuffer.wrap(new byte[]{0, 1, 2, (byte) 0xff}));
        assertThat(row.getField("datacontenttype")).isEqualTo("application/octet-stream");
    }

    @Test
    void structuredModeWithCharsetBecomesARow() throws Exception {
        String id = "str-" + UUID.randomUUID();
        String event = """
                {"specversion":"1.0","id":"%s","source":"/tests/structured","type":"dev.floe.order",
                 "subject":"order-7","time":"2026-01-01T00:00:00Z","comexampleextension1":"value",
                 "comexampleothervalue":5,"isfinal":true,"data":{"amount":12.5,"items":["a","b"]}}
                """.formatted(id);
        HttpResponse<String> response = post(HttpRequest.newBuilder()
                .header("Content-Type", "application/cloudevents+json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(event)));

        assertThat(response.statusCode()).isEqualTo(204);
        Record row = row(id);
        assertThat(row.getField("source")).isEqualTo("/tests/structured");
        assertThat(row.getField("type")).isEqualTo("dev.floe.order");
        assertThat(row.getField("subject")).isEqualTo("order-7");
        assertThat(row.getField("time")).isEqualTo(OffsetDateTime.parse("2026-01-01T00:00:00Z"));
        assertThat(row.getField("datacontenttype")).isNull();
        assertThat(row.getField("extensions")).isEqualTo(
                Map.of("comexampleextension1", "value", "comexampleothervalue", "5", "isfinal", "true"));
        assertThat(row.getField("data")).isEqualTo("{\"amount\":12.5,\"items\":[\"a\",\"b\"]}");
    }

    @Test
    void batchedModeWritesEveryEvent() throws Exception {
        String prefix = "bat-" + UUID.randomUUID();
        String batch = """
                [{"specversion":"1.0","id":"%1$s-1","source":"/b","type":"t","data":{"x":1}},
                 {"specversion":"1.0","id":"%1$s-2","source":"/b","type":"t","datacontenttype":"text/plain","data":"hello"},
                 {"specversion":"1.0","id":"%1$s-3","source":"/b","type":"t","data_base64":"AAEC"}]
                """
                .formatted(prefix);
        HttpResponse<String> response = post(HttpRequest.newBuilder()
                .header("Content-Type", "application/cloudevents-batch+json")
                .POST(HttpRequest.BodyPublishers.ofString(batch)));

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(rows(prefix)).hasSize(3);
        assertThat(row(prefix + "-1").getField("data")).isEqualTo("{\"x\":1}");
        assertThat(row(prefix + "-2").getField("data_bytes"))
                .isEqualTo(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)));
        assertThat(row(prefix + "-3").getField("data_bytes")).isEqualTo(ByteBuffer.wrap(new byte[]{0, 1, 2}));
    }

    static io.cloudevents.v1.proto.CloudEvent.Builder protobuf(String id) {
        return io.cloudevents.v1.proto.CloudEvent.newBuilder().setSpecVersion("1.0").setId(id)
                .setSource("/tests/protobuf").setType("dev.floe.proto");
    }

    static CloudEventAttributeValue ceString(String value) {
        return CloudEventAttributeValue.newBuilder().setCeString(value).build();
    }

    @Test
    void protobufStructuredModeBecomesARowLikeJson() throws Exception {
        String id = "pb-" + UUID.randomUUID();
        byte[] event = protobuf(id)
                .putAttributes("subject", ceString("order-8"))
                .putAttributes("time", CloudEventAttributeValue.newBuilder()
                        .setCeTimestamp(Timestamp.newBuilder().setSeconds(1_767_225_600L)).build())
                .putAttributes("datacontenttype", ceString("application/json"))
                .putAttributes("comexampleothervalue", CloudEventAttributeValue.newBuilder().setCeInteger(5).build())
                .setTextData("{\"amount\":12.5}")
                .build().toByteArray();
        HttpResponse<String> response = post(HttpRequest.newBuilder()
                .header("Content-Type", "application/cloudevents+protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(event)));

        assertThat(response.statusCode()).isEqualTo(204);
        Record row = row(id);
        assertThat(row.getField("source")).isEqualTo("/tests/protobuf");
        assertThat(row.getField("specversion")).isEqualTo("1.0");
        assertThat(row.getField("type")).isEqualTo("dev.floe.proto");
        assertThat(row.getField("subject")).isEqualTo("order-8");
        assertThat(row.getField("time")).isEqualTo(OffsetDateTime.parse("2026-01-01T00:00:00Z"));
        assertThat(row.getField("datacontenttype")).isEqualTo("application/json");
        assertThat(row.getField("extensions")).isEqualTo(Map.of("comexampleothervalue", "5"));
        assertThat(row.getField("data")).isEqualTo("{\"amount\":12.5}");
        assertThat(row.getField("data_bytes")).isNull();
    }

    @Test
    void protobufBatchWritesEveryKindOfData() throws Exception {
        String prefix = "pbb-" + UUID.randomUUID();
        Any proto = Any.pack(Timestamp.newBuilder().setSeconds(7).build());
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(body);
        out.writeMessage(1, protobuf(prefix + "-1").putAttributes("datacontenttype", ceString("text/plain"))
                .setTextData("hello").build());
        out.writeMessage(1, protobuf(prefix + "-2").setBinaryData(ByteString.copyFrom(new byte[]{0, 1, 2})).build());
        out.writeMessage(1, protobuf(prefix + "-3").setProtoData(proto).build());
        out.flush();
        HttpResponse<String> response = post(HttpRequest.newBuilder()
                .header("Content-Type", "application/cloudevents-batch+protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(rows(prefix)).hasSize(3);
        assertThat(row(prefix + "-1").getField("data_bytes"))
                .isEqualTo(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)));
        assertThat(row(prefix + "-2").getField("data_bytes")).isEqualTo(ByteBuffer.wrap(new byte[]{0, 1, 2}));
        assertThat(row(prefix + "-3").getField("data")).isNull();
        assertThat(row(prefix + "-3").getField("data_bytes")).isEqualTo(ByteBuffer.wrap(proto.toByteArray()));
    }

    @Test
    void anInvalidProtobufEventIsA400NamingEachViolation() throws Exception {
        String id = "pbx-" + UUID.randomUUID();
        byte[] event = io.cloudevents.v1.proto.CloudEvent.newBuilder().setId(id).setSource("/s")
                .putAttributes("time", ceString("yesterday")).build().toByteArray();
        HttpResponse<String> response = post(HttpRequest.newBuilder()
                .header("Content-Type", "application/cloudevents+protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(event)));
        Problems.assertProblem(response, 400, "\"attribute\":\"specversion\"", "\"attribute\":\"type\"",
                "\"attribute\":\"time\"");
        Problems.assertNothingWritten(catalog, id);
    }

    @Test
    void aRedeliveredEventIsWrittenOnce() throws Exception {
        String id = "dup-" + UUID.randomUUID();
        assertThat(post(binary(id)).statusCode()).isEqualTo(204);
        // the client did not get the 204 and sends the event again: acknowledged, and not written twice
        assertThat(post(binary(id)).statusCode()).isEqualTo(204);
        assertThat(rows(id)).hasSize(1);
    }

    @Test
    void clientHeadersCannotSteerTheRoute() throws Exception {
        String id = "hdr-" + UUID.randomUUID();
        HttpResponse<String> response = post(binary(id).header("CamelIcebergTable", "evil.table")
                .header("X-Custom", "1"));
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(row(id)).isNotNull();
        assertThat(catalog.tableExists(org.apache.iceberg.catalog.TableIdentifier.parse("evil.table"))).isFalse();
        assertThat(response.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("ce-"));
    }

    @Test
    void optionsAnswersAllowPost() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(FLOE)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isBetween(200, 204);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void healthAndMetricsOnTheManagementPort() throws Exception {
        post(binary("met-" + UUID.randomUUID()));
        HttpResponse<String> ready = HTTP
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:19000/q/health/ready"))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("iceberg-catalog");
        HttpResponse<String> live = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:19000/q/health/live"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(live.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:19000/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("floe_events_received_total{route=\"http-to-iceberg\"}")
                    .contains("floe_events_accepted_total{route=\"http-to-iceberg\"}")
                    .contains("floe_batches_committed_total{table=\"default.events\"}")
                    .contains("floe_batch_size_events_count{table=\"default.events\"}")
                    .contains("floe_commit_duration_seconds_count{table=\"default.events\"}")
                    .containsPattern("(?m)^floe_events_pending [0-9.]+$");
        });
    }
}
