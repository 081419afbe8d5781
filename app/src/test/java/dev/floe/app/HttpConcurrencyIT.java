package dev.floe.app;

import static dev.floe.app.HttpToIcebergIT.binary;
import static dev.floe.app.HttpToIcebergIT.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HttpConcurrencyIT {

    @Inject
    Catalog catalog;

    @Test
    void fiftyConcurrentClientsEveryAcknowledgedEventExactlyOnce() throws Exception {
        String prefix = "con-" + UUID.randomUUID() + "-";
        int clients = 50;
        int perClient = 20;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<List<String>>> results = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            results.add(pool.submit(() -> {
                List<String> acknowledged = new ArrayList<>();
                for (int i = 0; i < perClient; i++) {
                    String id = prefix + client + "-" + i;
                    if (post(binary(id)).statusCode() == 204) {
                        acknowledged.add(id);
                    }
                }
                return acknowledged;
            }));
        }
        List<String> acknowledged = new ArrayList<>();
        for (Future<List<String>> f : results) {
            acknowledged.addAll(f.get());
        }
        pool.shutdown();

        assertThat(acknowledged).hasSize(clients * perClient);
        Map<Object, Long> counts = Tables.rowsWithIdPrefix(catalog, "default.events", prefix).stream()
                .collect(Collectors.groupingBy((Record r) -> r.getField("id"), Collectors.counting()));
        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(acknowledged);
        assertThat(counts.values()).allMatch(n -> n == 1);
    }
}
