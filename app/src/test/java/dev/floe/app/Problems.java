package dev.floe.app;

import static dev.floe.app.HttpToIcebergIT.binary;
import static dev.floe.app.HttpToIcebergIT.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.UUID;

import org.apache.iceberg.catalog.Catalog;

/** What a sender of a refused request sees, and what the table then holds. */
public final class Problems {

    private Problems() {
    }

    /** An RFC 9457 problem answer with this status, whose body names each of {@code detail}. */
    public static void assertProblem(HttpResponse<String> response, int status, String... detail) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"status\":" + status);
        for (String d : detail) {
            assertThat(response.body()).contains(d);
        }
    }

    /** Nothing with ids starting with {@code prefix} is in default.events once a later good request has committed. */
    public static void assertNothingWritten(Catalog catalog, String prefix) throws Exception {
        // a good request after the bad one commits a batch; by then anything of the bad one would be visible
        String marker = "marker-" + UUID.randomUUID();
        assertThat(post(binary(marker)).statusCode()).isEqualTo(204);
        assertThat(Tables.rowsWithIdPrefix(catalog, "default.events", marker)).hasSize(1);
        assertThat(Tables.rowsWithIdPrefix(catalog, "default.events", prefix)).isEmpty();
    }
}
