package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.camel.Exchange;
import org.apache.camel.console.DevConsole;
import org.apache.camel.console.DevConsoleResolver;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The "iceberg" dev console, found by name as Camel finds consoles, shows what the producers did to each table. */
class IcebergDevConsoleTest extends CamelTestSupport {

    @TempDir
    static Path dir;

    private String jdbc(String table, String options) {
        return "iceberg:" + table + "?catalog.type=jdbc&catalog.uri=jdbc:sqlite:" + dir.resolve("catalog.db")
                + "&catalog.warehouse=" + dir.resolve("warehouse").toUri() + options;
    }

    private static CloudEvent event(String id) {
        return CloudEventBuilder.v1().withId(id).withSource(URI.create("/console")).withType("t").build();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> tables() {
        DevConsole console = context.getCamelContextExtension().getContextPlugin(DevConsoleResolver.class)
                .resolveDevConsole("iceberg");
        assertThat(console).as("the iceberg dev console").isNotNull();
        Map<String, Object> json = (Map<String, Object>) console.call(DevConsole.MediaType.JSON);
        return (List<Map<String, Object>>) json.get("tables");
    }

    private Map<String, Object> table(String name) {
        return tables().stream().filter(t -> name.equals(t.get("table"))).findFirst().orElseThrow();
    }

    @Test
    void showsTheLastSnapshotOfATable() {
        Exchange out = template.request(jdbc("it.console", ""),
                e -> e.getIn().setBody(List.of(event("1"))));
        assertThat(out.getException()).isNull();
        assertThat(table("it.console")).containsEntry("component", "iceberg").containsEntry("queuedBatches", 0)
                .containsEntry("lastSnapshotId", out.getMessage().getHeader(IcebergConstants.SNAPSHOT_ID))
                .doesNotContainKey("lastError");
    }

    @Test
    void showsABatchQueuedForItsCommit() {
        CompletableFuture<Exchange> sent = template.asyncSend(jdbc("it.queued", "&commitLingerMs=3000"),
                e -> e.getIn().setBody(List.of(event("q"))));
        await().atMost(Duration.ofSeconds(2)).until(() -> tables().stream()
                .anyMatch(
                        t -> "it.queued".equals(t.get("table")) && Integer.valueOf(1).equals(t.get("queuedBatches"))));
        await().atMost(Duration.ofSeconds(20)).until(sent::isDone);
        assertThat(table("it.queued")).containsEntry("queuedBatches", 0).containsKey("lastSnapshotId");
    }

    @Test
    void showsTheLastErrorWhenTheCatalogIsDown() {
        Exchange out = template.request(
                "iceberg:it.down?catalog.type=rest&catalog.uri=http://127.0.0.1:1&commitRetries=0",
                e -> e.getIn().setBody(List.of(event("d"))));
        assertThat(out.getException()).isNotNull();
        assertThat(table("it.down")).containsKey("lastErrorAt").doesNotContainKey("lastSnapshotId")
                .hasEntrySatisfying("lastError", e -> assertThat((String) e).isNotBlank());
        String text = (String) context.getCamelContextExtension().getContextPlugin(DevConsoleResolver.class)
                .resolveDevConsole("iceberg").call(DevConsole.MediaType.TEXT);
        assertThat(text).contains("it.down (component iceberg)").contains("last error at");
    }
}
