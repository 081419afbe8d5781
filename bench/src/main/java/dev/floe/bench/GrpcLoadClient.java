package dev.floe.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import dev.floe.grpc.v1.CloudEventServiceGrpc;
import dev.floe.testing.CloudEventServiceClient;
import io.cloudevents.v1.proto.CloudEvent;
import io.cloudevents.v1.proto.CloudEvent.CloudEventAttributeValue;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;

/**
 * Sends CloudEvents (Protobuf format) to a running Floe's gRPC source from N callers for a fixed time; prints events/s
 * and answer latency, in LoadClient's format. Each caller has its own channel (its own HTTP/2 connection).
 * <ul>
 * <li>{@code unary}: one {@code Publish} call per event, the next sent when the last is answered (as LoadClient's
 * binary mode);</li>
 * <li>{@code stream}: one {@code PublishStream} of EVENTS_PER_STREAM events, half-closed, the next once it is answered
 * (as LoadClient's batched mode).</li>
 * </ul>
 * Usage: GrpcLoadClient HOST:PORT unary|stream CALLERS SECONDS [EVENTS_PER_STREAM]
 */
public final class GrpcLoadClient {

    public static void main(String[] args) throws Exception {
        String[] target = args[0].split(":");
        boolean stream = args[1].equals("stream");
        int callers = Integer.parseInt(args[2]);
        long seconds = Long.parseLong(args[3]);
        int perStream = args.length > 4 ? Integer.parseInt(args[4]) : 2000;
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong ids = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Future<long[]>> results = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            results.add(pool.submit(() -> {
                ManagedChannel channel = NettyChannelBuilder.forAddress(target[0], Integer.parseInt(target[1]))
                        .usePlaintext().build();
                long[] latencies = new long[1 << 20];
                int n = 0;
                long events = 0;
                try {
                    while (System.nanoTime() < deadline && n < latencies.length) {
                        long t0 = System.nanoTime();
                        try {
                            if (stream) {
                                CloudEventServiceClient.publishStream(
                                        CloudEventServiceGrpc.newStub(channel).withDeadlineAfter(120,
                                                TimeUnit.SECONDS),
                                        IntStream.range(0, perStream).mapToObj(i -> event("s-" + ids.incrementAndGet()))
                                                .toList())
                                        .get(120, TimeUnit.SECONDS);
                            } else {
                                CloudEventServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                                        .publish(event("g-" + ids.incrementAndGet()));
                            }
                            latencies[n++] = System.nanoTime() - t0;
                            events += stream ? perStream : 1;
                        } catch (StatusRuntimeException | java.util.concurrent.ExecutionException e) {
                            failures.incrementAndGet();
                        }
                    }
                } finally {
                    channel.shutdownNow();
                }
                long[] result = java.util.Arrays.copyOf(latencies, n + 1);
                result[n] = events;
                return result;
            }));
        }
        pool.shutdown();
        LoadReport.print("grpc-" + args[1], callers, seconds, results, "failed", failures.get());
    }

    /** The event of LoadClient's binary mode, in the Protobuf format: the same attributes and JSON data. */
    private static CloudEvent event(String id) {
        return CloudEvent.newBuilder().setSpecVersion("1.0").setId(id).setSource("/bench/sensors/42")
                .setType("dev.floe.bench.reading").putAttributes("subject", string("room-17"))
                .putAttributes("time", string("2026-11-22T10:00:00.123Z"))
                .putAttributes("traceparent", string("00-0af7651916cd43dd8448eb211c80319c-00"))
                .putAttributes("datacontenttype", string("application/json")).setTextData(Events.DATA).build();
    }

    private static CloudEventAttributeValue string(String value) {
        return CloudEventAttributeValue.newBuilder().setCeString(value).build();
    }
}
