package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.camel.AsyncProducer;
import org.apache.camel.BindToRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;

/** Offsets are committed with the rows, compare-and-set, and read back as the table's watermarks. */
class SourceOffsetsTest extends CamelTestSupport {

    private static final String SOURCE = "kafka.g1";
    private static final TableIdentifier TABLE = TableIdentifier.of("o", "events");

    @BindToRegistry("catalog")
    private final InMemoryCatalog catalog = memoryCatalog();

    private static InMemoryCatalog memoryCatalog() {
        InMemoryCatalog c = new InMemoryCatalog();
        c.initialize("mem", Map.of());
        c.createNamespace(Namespace.of("o"));
        return c;
    }

    private static CloudEvent event(String id, long offset) {
        CloudEvent event = CloudEventBuilder.v1().withId(id).withSource(URI.create("/o")).withType("t").build();
        return new SourcedEvent(event, new SourcedEvent.KafkaPosition("in", 0, offset,
                ("key-" + id).getBytes(StandardCharsets.UTF_8)));
    }

    private Exchange send(List<?> rows, SourceOffsets offsets) {
        return template.send("iceberg:o.events", e -> {
            e.getIn().setBody(rows);
            e.getIn().setHeader(IcebergConstants.SOURCE_OFFSETS, offsets);
        });
    }

    private CompletableFuture<Exchange> submit(AsyncProducer producer, List<?> rows, SourceOffsets offsets) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getIn().setBody(rows);
        exchange.getIn().setHeader(IcebergConstants.SOURCE_OFFSETS, offsets);
        CompletableFuture<Exchange> done = new CompletableFuture<>();
        producer.process(exchange, sync -> done.complete(exchange));
        return done;
    }

    private static SourceOffsets offsets(Map<String, Long> expected, Map<String, Long> claimed) {
        return new SourceOffsets(SOURCE, expected, claimed);
    }

    private Map<String, Long> watermarks(String... partitions) {
        return SourceOffsets.read(catalog.loadTable(TABLE), SOURCE, Set.of(partitions));
    }

    @Test
    void offsetsMoveOnlyFromWhatTheBatchWasBuiltOn() throws Exception {
        assertThat(send(List.of(event("a", 0), event("b", 1)), offsets(Map.of("in/0", -1L), Map.of("in/0", 1L)))
                .getException()).isNull();
        // another partition, committed by another writer: it does not disturb in/0's watermark
        assertThat(send(List.of(), offsets(Map.of("in/1", -1L), Map.of("in/1", 40L))).getException()).isNull();
        // an HTTP batch without offsets in between changes nothing
        assertThat(send(List.of(((SourcedEvent) event("http", 99)).event()), null).getException()).isNull();
        assertThat(watermarks("in/0", "in/1", "in/2")).containsExactlyInAnyOrderEntriesOf(
                Map.of("in/0", 1L, "in/1", 40L, "in/2", -1L));

        // a stale writer (built on -1, the table is at 1) is fenced and writes nothing
        Exchange stale = send(List.of(event("c", 0)), offsets(Map.of("in/0", -1L), Map.of("in/0", 5L)));
        assertThat(stale.getException()).isInstanceOf(IcebergWriteException.class)
                .hasStackTraceContaining("offsets moved");

        // the next batch, built on 1, goes in; records routed elsewhere let the claim run past its last row
        assertThat(send(List.of(event("d", 2)), offsets(Map.of("in/0", 1L), Map.of("in/0", 7L))).getException())
                .isNull();
        assertThat(watermarks("in/0")).containsEntry("in/0", 7L);

        Table table = catalog.loadTable(TABLE);
        List<String> rows = new ArrayList<>();
        try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
            for (Record r : it) {
                Record kafka = (Record) r.getField(EventTableLayout.KAFKA);
                if (kafka == null) {
                    rows.add(r.getField("id") + "@-");
                    continue;
                }
                rows.add(r.getField("id") + "@" + kafka.getField("topic") + "/" + kafka.getField("partition") + ":"
                        + kafka.getField("offset") + ":" + StandardCharsets.UTF_8
                                .decode((java.nio.ByteBuffer) kafka.getField("key")));
            }
        }
        assertThat(rows).containsExactlyInAnyOrder("http@-", "a@in/0:0:key-a", "b@in/0:1:key-b",
                "d@in/0:2:key-d");
    }

    @Test
    void everyCommitCarriesTheMarksForwardSoExpiryCannotLoseThem() throws Exception {
        assertThat(send(List.of(event("a", 0)), offsets(Map.of("in/0", -1L), Map.of("in/0", 0L))).getException())
                .isNull();
        assertThat(send(List.of(), new SourceOffsets("kafka.other", Map.of("x/0", -1L), Map.of("x/0", 12L)))
                .getException()).isNull();
        // batches without offsets (HTTP, AMQP) are the newest snapshots
        for (int i = 0; i < 3; i++) {
            assertThat(send(List.of(((SourcedEvent) event("http-" + i, 0)).event()), null).getException()).isNull();
        }
        Table table = catalog.loadTable(TABLE);
        assertThat(table.currentSnapshot().summary()).containsEntry(SourceOffsets.SUMMARY_PREFIX + SOURCE, "in/0=0")
                .containsEntry(SourceOffsets.SUMMARY_PREFIX + "kafka.other", "x/0=12");

        // maintenance keeps only the newest snapshot
        table.expireSnapshots().expireOlderThan(System.currentTimeMillis() + 1).retainLast(1).commit();

        assertThat(catalog.loadTable(TABLE).snapshots()).hasSize(1);
        assertThat(watermarks("in/0")).containsEntry("in/0", 0L);
        assertThat(SourceOffsets.read(catalog.loadTable(TABLE), "kafka.other", Set.of("x/0"))).containsEntry("x/0",
                12L);
        // and the next batch still builds on them
        assertThat(send(List.of(event("b", 1)), offsets(Map.of("in/0", 0L), Map.of("in/0", 1L))).getException())
                .isNull();
        assertThat(watermarks("in/0")).containsEntry("in/0", 1L);
    }

    @Test
    void chainedBatchesShareACommitAndABrokenChainDoesNot() throws Exception {
        // handed to the producer in order from one thread, as the aggregator does, so they queue behind each other
        AsyncProducer producer = context.getEndpoint("iceberg:o.events").createAsyncProducer();
        producer.start();
        List<CompletableFuture<Exchange>> sent = new ArrayList<>();
        long expected = -1;
        for (int i = 0; i < 30; i++) {
            long claim = expected + 2;
            sent.add(submit(producer, List.of(event("e" + i, claim)),
                    offsets(Map.of("in/0", expected), Map.of("in/0", claim))));
            expected = claim;
        }
        // a batch that does not chain (built on an old watermark) fails alone
        CompletableFuture<Exchange> stale = submit(producer, List.of(event("stale", 500)),
                offsets(Map.of("in/0", 3L), Map.of("in/0", 500L)));
        for (CompletableFuture<Exchange> f : sent) {
            assertThat(f.get().getException()).isNull();
        }
        assertThat(stale.get().getException()).isNotNull();
        assertThat(watermarks("in/0")).containsEntry("in/0", 59L);
        Table table = catalog.loadTable(TABLE);
        List<String> ids = new ArrayList<>();
        try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
            it.forEach(r -> ids.add((String) r.getField("id")));
        }
        assertThat(ids).hasSize(30).doesNotContain("stale").doesNotHaveDuplicates();
    }

    @Test
    void aBatchMustChainToEverythingItsGroupClaimsNotJustItsNeighbour() {
        // x claims p, y claims q: y chains to x. z builds on p as it was before x: it chains to y alone, not to the
        // group, so it waits for the next commit (where its compare-and-set fails on its own)
        PendingBatch x = pending(offsets(Map.of("in/0", -1L), Map.of("in/0", 20L)));
        PendingBatch y = pending(offsets(Map.of("in/1", -1L), Map.of("in/1", 9L)));
        PendingBatch z = pending(offsets(Map.of("in/0", -1L), Map.of("in/0", 30L)));
        PendingBatch http = pending(null);
        CommitLanes.Lane lane = new CommitLanes.Lane(null);
        lane.queue.addAll(List.of(x, y, z, http));
        assertThat(lane.take(1000)).containsExactly(x, y);
        assertThat(lane.take(1000)).containsExactly(z);
        // a batch without offsets never shares a commit with one that has them
        assertThat(lane.take(1000)).containsExactly(http);
    }

    private static PendingBatch pending(SourceOffsets offsets) {
        return new PendingBatch(null, null, "b", List.of(event("e", 0)), offsets);
    }

    @Test
    void offsetsMustNameTheSamePartitionsAndSafeNames() {
        assertThatThrownBy(
                () -> offsets(Map.of("in/0", 1L), Map.of("in/1", 2L))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                () -> new SourceOffsets("kafka group", Map.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
