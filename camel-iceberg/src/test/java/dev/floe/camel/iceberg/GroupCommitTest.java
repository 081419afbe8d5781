package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.camel.BindToRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;

/** Exchanges that queue behind a commit are committed together, each still reported on its own. */
class GroupCommitTest extends CamelTestSupport {

    @BindToRegistry("catalog")
    private final InMemoryCatalog catalog = memoryCatalog();

    private static InMemoryCatalog memoryCatalog() {
        InMemoryCatalog c = new InMemoryCatalog();
        c.initialize("mem", Map.of());
        c.createNamespace(Namespace.of("g"));
        return c;
    }

    private static CloudEvent event(String id) {
        return CloudEventBuilder.v1().withId(id).withSource(URI.create("/g")).withType("t").build();
    }

    @Test
    void queuedBatchesShareACommitAndABadOneFailsAlone() throws Exception {
        int exchanges = 40;
        List<CompletableFuture<Exchange>> sent = new ArrayList<>();
        for (int i = 0; i < exchanges; i++) {
            List<Object> rows = new ArrayList<>(List.of(event(i + "-a"), event(i + "-b")));
            if (i == 7) {
                rows.add(Map.of("id", "bad", "time", "not a time"));
            }
            // the linger lets the batches sent meanwhile join a commit however slowly this thread runs
            sent.add(template.asyncSend("iceberg:g.events?commitLingerMs=300", e -> e.getIn().setBody(rows)));
        }
        Set<Long> snapshots = new HashSet<>();
        for (int i = 0; i < exchanges; i++) {
            Exchange done = sent.get(i).get();
            if (i == 7) {
                assertThat(done.getException()).isInstanceOf(IcebergWriteException.class).hasMessageContaining("row 2");
                continue;
            }
            assertThat(done.getException()).isNull();
            assertThat(done.getMessage().getHeader(IcebergConstants.RECORD_COUNT, Long.class)).isEqualTo(2L);
            snapshots.add(done.getMessage().getHeader(IcebergConstants.SNAPSHOT_ID, Long.class));
        }

        Table table = catalog.loadTable(TableIdentifier.of("g", "events"));
        List<Snapshot> all = new ArrayList<>();
        table.snapshots().forEach(all::add);
        assertThat(all).hasSizeLessThan(exchanges - 1).hasSameSizeAs(snapshots);
        List<String> ids = new ArrayList<>();
        try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
            it.forEach(r -> ids.add((String) r.getField("id")));
        }
        assertThat(ids).hasSize(2 * (exchanges - 1)).doesNotHaveDuplicates().doesNotContain("7-a", "7-b");
        // every committed batch id is findable for reconciliation
        for (Snapshot s : all) {
            for (String batchId : s.summary().get(IcebergConstants.SUMMARY_BATCH_ID).split(",")) {
                assertThat(batchId).isNotBlank();
            }
        }
    }
}
