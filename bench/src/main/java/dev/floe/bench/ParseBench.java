package dev.floe.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.floe.camel.iceberg.BenchRows;
import dev.floe.camel.iceberg.EventTableLayout;
import dev.floe.camel.iceberg.cloudevents.BinaryModeReader;
import dev.floe.camel.iceberg.cloudevents.CloudEventLimits;
import dev.floe.camel.iceberg.cloudevents.JsonEventReader;
import io.cloudevents.CloudEvent;
import org.apache.iceberg.data.Record;

/**
 * Bytes to Iceberg records, nothing else: the shared CloudEvent readers (structured, batched, Kafka binary mode) and
 * the row converter of the default layout, on bench's ~409-byte events. No Camel, no Parquet, no commit.
 * <p>
 * Usage: ParseBench [EVENTS] [THREADS] [EVENTS_PER_BATCH]. Prints, for each mode, events/s per thread (wall clock)
 * and events per CPU-second of the parsing threads, the steadier figure on a machine shared with other work.
 */
public final class ParseBench {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int perBatch = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        Inputs inputs = new Inputs(perBatch);
        System.out.printf("event_bytes=%d events=%d threads=%d events_per_batch=%d%n",
                inputs.single.get(0).length, events, threads, perBatch);
        for (String mode : List.of("structured", "batched", "binary")) {
            run(mode, inputs, events / 5, threads); // warm-up
            double[] result = run(mode, inputs, events, threads);
            System.out.printf("%s_events_per_s_per_thread=%.0f %s_events_per_cpu_s=%.0f%n", mode, result[0] / threads,
                    mode, result[1]);
        }
    }

    /** Events per wall-clock second, and per CPU-second of the parsing threads. */
    private static double[] run(String mode, Inputs inputs, int events, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            List<Future<long[]>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    long cpu = THREADS.getCurrentThreadCpuTime();
                    long checksum = parse(mode, inputs, events / threads);
                    return new long[]{checksum, THREADS.getCurrentThreadCpuTime() - cpu};
                }));
            }
            long checksum = 0;
            long cpuNanos = 0;
            for (Future<long[]> f : done) {
                checksum += f.get()[0];
                cpuNanos += f.get()[1];
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (checksum == 42) {
                System.out.println(); // keeps the work observable
            }
            int parsed = (events / threads) * threads;
            return new double[]{parsed / seconds, parsed / (cpuNanos / 1e9)};
        } finally {
            pool.shutdown();
        }
    }

    private static long parse(String mode, Inputs inputs, int events) {
        BenchRows rows = new BenchRows(EventTableLayout.SCHEMA);
        CloudEventLimits limits = CloudEventLimits.DEFAULTS;
        long checksum = 0;
        int done = 0;
        int i = 0;
        while (done < events) {
            List<CloudEvent> read = switch (mode) {
                case "structured" -> List.of(JsonEventReader.readEvent(inputs.single.get(i % inputs.single.size()),
                        limits));
                case "batched" -> JsonEventReader.readBatch(inputs.batches.get(i % inputs.batches.size()), limits);
                default -> List.of(BinaryModeReader.read(inputs.headers.get(i % inputs.headers.size()),
                        BinaryModeReader.Binding.KAFKA, "application/json", inputs.data, limits));
            };
            for (CloudEvent event : read) {
                Record record = rows.convert(event);
                checksum += record.size();
            }
            done += read.size();
            i++;
        }
        return checksum;
    }

    /** Distinct ids, so nothing is cached by accident. */
    private static final class Inputs {

        final List<byte[]> single = new ArrayList<>();
        final List<byte[]> batches = new ArrayList<>();
        final List<Map<String, Object>> headers = new ArrayList<>();
        final byte[] data = Events.DATA.getBytes(StandardCharsets.UTF_8);

        Inputs(int perBatch) {
            for (int i = 0; i < 10_000; i++) {
                single.add(Events.structured("id-" + i).getBytes(StandardCharsets.UTF_8));
                Map<String, Object> h = new LinkedHashMap<>();
                h.put("ce_specversion", bytes("1.0"));
                h.put("ce_id", bytes("id-" + i));
                h.put("ce_source", bytes("/bench/sensors/42"));
                h.put("ce_type", bytes("dev.floe.bench.reading"));
                h.put("ce_subject", bytes("room-17"));
                h.put("ce_time", bytes("2026-11-22T10:00:00.123Z"));
                h.put("ce_traceparent", bytes("00-0af7651916cd43dd8448eb211c80319c-00"));
                headers.add(h);
            }
            for (int b = 0; b < 100; b++) {
                StringBuilder sb = new StringBuilder("[");
                for (int i = 0; i < perBatch; i++) {
                    sb.append(i == 0 ? "" : ",").append(Events.structured("b" + b + "-" + i));
                }
                batches.add(sb.append(']').toString().getBytes(StandardCharsets.UTF_8));
            }
        }

        private static byte[] bytes(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
    }
}
