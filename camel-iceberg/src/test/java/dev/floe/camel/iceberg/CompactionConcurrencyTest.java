package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Ingest commits as fast as it can while compaction runs again and again on another thread: no batch fails, and every
 * acknowledged batch is read back once with its latest values. Upserts are the dangerous case: an update committed
 * while a compaction rewrites the row it replaces must still delete that row once rewritten.
 */
class CompactionConcurrencyTest extends CompactionTestSupport {

    private final ExecutorService compactor = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopCompactor() throws Exception {
        compactor.shutdownNow();
        compactor.awaitTermination(30, TimeUnit.SECONDS);
    }

    /** Compacts until told to stop; the outcomes, in order. */
    private Future<List<Object>> compactUntil(AtomicBoolean ingesting, String table) {
        return compactor.submit(() -> {
            List<Object> outcomes = new ArrayList<>();
            while (ingesting.get()) {
                outcomes.add(compact(table, "&minInputFiles=3").get("outcome"));
            }
            return outcomes;
        });
    }

    @Test
    void appendsWhileCompactingAreEachReadBackOnce() throws Exception {
        List<String> acknowledged = new ArrayList<>();
        ingest("k.appends", "", List.of(event("seed", "t", "s", "{}")));
        acknowledged.add("seed");
        AtomicBoolean ingesting = new AtomicBoolean(true);
        Future<List<Object>> outcomes = compactUntil(ingesting, "k.appends");
        try {
            for (int b = 0; b < 40; b++) {
                List<CloudEvent> events = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    events.add(event(b + "-" + i, "t", "s" + i, "{\"b\":" + b + "}"));
                }
                ingest("k.appends", "", events);
                events.forEach(e -> acknowledged.add(e.getId()));
            }
        } finally {
            ingesting.set(false);
        }
        List<Object> seen = outcomes.get(5, TimeUnit.MINUTES);
        assertThat(seen).contains("done").allMatch(o -> List.of("done", "nothing-to-do", "conflict").contains(o));

        Table table = table("k.appends");
        assertThat(rows(table).stream().map(r -> (String) r.getField("id")).toList())
                .containsExactlyInAnyOrderElementsOf(acknowledged);
    }

    @Test
    void anUpsertCommittedBetweenTheRewriteAndItsCommitStillReplacesTheRewrittenRow() throws Exception {
        String uri = "&writeMode=upsert&identifierFields=subject";
        for (int b = 0; b < 3; b++) {
            ingest("k.race", uri, List.of(event("r" + b + "a", "t", "k1", "{\"v\":" + b + "}"),
                    event("r" + b + "b", "t", "k2", "{\"v\":" + b + "}"),
                    event("r" + b + "c", "t", "k3", "{\"v\":" + b + "}")));
        }
        IcebergEndpoint endpoint = icebergEndpoint("k.race", "&operation=compact");
        org.apache.iceberg.catalog.TableIdentifier id = org.apache.iceberg.catalog.TableIdentifier.parse("k.race");
        DataFileCompaction compaction = new DataFileCompaction(id, endpoint.catalog().loadTable(id),
                endpoint.getConfiguration());
        DataFileCompaction.Rewrite rewrite = compaction.prepare();

        // the rewritten file holds k1 and k2 at v=2; ingest updates k1 and deletes k2 before the swap
        ingest("k.race", uri, List.of(event("r9a", "t", "k1", "{\"v\":9}"),
                CloudEventBuilder.v1(event("r9b", "t", "k2", "{}")).withExtension("op", "d").build()));

        assertThat(compaction.commit(rewrite)).containsEntry("outcome", "done");
        Map<String, String> state = new TreeMap<>();
        for (Record row : rows(table("k.race"))) {
            assertThat(state.put((String) row.getField("subject"), (String) row.getField("data")))
                    .as("key %s read twice", row.getField("subject")).isNull();
        }
        assertThat(state).isEqualTo(Map.of("k1", "{\"v\":9}", "k3", "{\"v\":2}"));
    }

    @Test
    void upsertsWhileCompactingKeepEveryKeyOnceWithItsLatestValue() throws Exception {
        String uri = "&writeMode=upsert&identifierFields=subject";
        Map<String, String> latest = new TreeMap<>();
        int id = 0;
        for (int k = 0; k < 20; k++) {
            latest.put("k" + k, "{\"v\":-1}");
        }
        List<CloudEvent> first = new ArrayList<>();
        for (String key : latest.keySet()) {
            first.add(event("e" + id++, "t", key, latest.get(key)));
        }
        ingest("k.upserts", uri, first);
        AtomicBoolean ingesting = new AtomicBoolean(true);
        Future<List<Object>> outcomes = compactUntil(ingesting, "k.upserts");
        try {
            for (int b = 0; b < 30; b++) {
                List<CloudEvent> events = new ArrayList<>();
                Map<String, String> changes = new TreeMap<>();
                for (int j = 0; j < 6; j++) {
                    String key = "k" + (b * 7 + j * 3) % 20;
                    String json = "{\"v\":" + b + ",\"j\":" + j + "}";
                    CloudEvent event = event("e" + id++, "t", key, json);
                    if (j == 5 && b % 4 == 0) {
                        events.add(CloudEventBuilder.v1(event).withExtension("op", "d").build());
                        changes.put(key, null);
                    } else {
                        events.add(event);
                        changes.put(key, json);
                    }
                }
                ingest("k.upserts", uri, events);
                changes.forEach((key, json) -> {
                    if (json == null) {
                        latest.remove(key);
                    } else {
                        latest.put(key, json);
                    }
                });
            }
        } finally {
            ingesting.set(false);
        }
        List<Object> seen = outcomes.get(5, TimeUnit.MINUTES);
        assertThat(seen).contains("done").allMatch(o -> List.of("done", "nothing-to-do", "conflict").contains(o));

        Table table = table("k.upserts");
        Map<String, String> state = new TreeMap<>();
        for (Record row : rows(table)) {
            assertThat(state.put((String) row.getField("subject"), (String) row.getField("data")))
                    .as("key %s read twice", row.getField("subject")).isNull();
        }
        assertThat(state).isEqualTo(latest);
    }
}
