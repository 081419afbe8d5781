package dev.floe.app;

import static dev.floe.app.HttpToIcebergIT.HTTP;
import static dev.floe.app.HttpToIcebergIT.binary;
import static dev.floe.app.HttpToIcebergIT.post;
import static dev.floe.app.Problems.assertNothingWritten;
import static dev.floe.app.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;

/** Every bad request gets its exact status and a problem body, and writes nothing. */
@QuarkusTest
class HttpBadInputIT {

    @Inject
    Catalog catalog;

    @Test
    void missingRequiredAttributes() throws Exception {
        String id = "bad-" + UUID.randomUUID();
        HttpResponse<String> response = post(HttpRequest.newBuilder()
                .header("ce-specversion", "1.0").header("ce-id", id)
                .POST(HttpRequest.BodyPublishers.ofString("x")));
        assertProblem(response, 400, "\"attribute\":\"source\"", "\"attribute\":\"type\"",
                "required attribute is missing");
        assertNothingWritten(catalog, id);
    }

    @Test
    void wrongSpecversionAndTypeSystemViolations() throws Exception {
        String id = "bad-" + UUID.randomUUID();
        HttpResponse<String> response = post(binary(id).setHeader("ce-specversion", "0.3"));
        assertProblem(response, 400, "specversion");

        response = post(binary(id).header("ce-time", "2026-13-45T99:00:00Z"));
        assertProblem(response, 400, "\"attribute\":\"time\"", "RFC 3339");

        response = post(binary(id).header("ce-dataschema", "relative/path"));
        assertProblem(response, 400, "\"attribute\":\"dataschema\"", "absolute URI");

        response = post(binary(id).setHeader("ce-source", "not a uri"));
        assertProblem(response, 400, "\"attribute\":\"source\"", "URI-reference");

        response = post(binary(id).header("ce-Bad_Name", "x"));
        assertProblem(response, 400, "lower-case letters");

        response = post(binary(id).header("ce-subject", "%C0%A0"));
        assertProblem(response, 400, "\"attribute\":\"subject\"", "UTF-8");

        response = post(binary(id).setHeader("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{oops")));
        assertProblem(response, 400, "\"attribute\":\"data\"", "not valid JSON");
        assertNothingWritten(catalog, id);
    }

    @Test
    void structuredViolations() throws Exception {
        String id = "bad-" + UUID.randomUUID();
        HttpResponse<String> response = post(HttpRequest.newBuilder()
                .header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"specversion":"1.0","id":"%s","source":"/s","type":"t","data":1,"data_base64":"AA=="}
                        """.formatted(id))));
        assertProblem(response, 400, "data_base64", "both");

        response = post(HttpRequest.newBuilder()
                .header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"specversion":"1.0","id":%s,"source":"/s","type":"t","ext":{"a":1}}
                        """.formatted(7))));
        assertProblem(response, 400, "\"attribute\":\"id\"", "\"attribute\":\"ext\"");

        response = post(HttpRequest.newBuilder()
                .header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofString("not json")));
        assertProblem(response, 400, "not valid JSON");
        assertNothingWritten(catalog, id);
    }

    @Test
    void batchIsAllOrNothing() throws Exception {
        String prefix = "bad-" + UUID.randomUUID();
        HttpResponse<String> response = post(HttpRequest.newBuilder()
                .header("Content-Type", "application/cloudevents-batch+json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        [{"specversion":"1.0","id":"%1$s-1","source":"/b","type":"t"},
                         {"specversion":"1.0","id":"%1$s-2","source":"/b","type":"t","time":"noon"},
                         {"specversion":"1.0","id":"%1$s-3","source":"/b","type":"t"}]
                        """.formatted(prefix))));
        assertProblem(response, 400, "\"attribute\":\"/1/time\"");
        assertNothingWritten(catalog, prefix);
    }

    @Test
    void unsupportedFormats() throws Exception {
        assertProblem(post(HttpRequest.newBuilder().header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello"))), 415, "not a CloudEvent");
        assertProblem(post(HttpRequest.newBuilder().header("Content-Type", "application/cloudevents+xml")
                .POST(HttpRequest.BodyPublishers.ofString("<e/>"))), 415, "not supported");
        assertProblem(
                post(HttpRequest.newBuilder().header("Content-Type", "application/cloudevents+json; charset=latin1")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))),
                415, "UTF-8");
    }

    @Test
    void bodyOverTheCapIs413() throws Exception {
        String id = "big-" + UUID.randomUUID();
        byte[] big = new byte[1024 * 1024 + 1];
        // with Expect: 100-continue (curl sends it for large bodies) the refusal comes before the body is sent;
        // without it the server's 413 races the client still writing the body, which may see a reset instead
        HttpResponse<String> response = post(binary(id).setHeader("Content-Type", "application/octet-stream")
                .expectContinue(true).POST(HttpRequest.BodyPublishers.ofByteArray(big)));
        assertThat(response.statusCode()).isEqualTo(413);
        assertNothingWritten(catalog, id);
    }

    @Test
    void otherMethodsAre405() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(HttpToIcebergIT.FLOE).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(405);
    }
}
