package dev.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import dev.floe.testing.KafkaBroker;

/**
 * A steady stream of numbered events ({@link KafkaEvents#produce}) into a topic, from a thread of its own: a batch every
 * period until stopped, with a pause for a broker outage.
 */
final class EventStream implements AutoCloseable {

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger sent = new AtomicInteger();
    // held while a batch is sent, so that a pause waits for the send under way
    private final ReentrantLock sending = new ReentrantLock();
    private final ScheduledFuture<?> task;
    private volatile boolean paused;

    EventStream(KafkaBroker broker, String topic, int partitions, int perTick, long periodMs) {
        task = executor.scheduleAtFixedRate(() -> {
            sending.lock();
            try {
                if (!paused) {
                    int from = sent.get();
                    KafkaEvents.produce(broker, topic, partitions, from, from + perTick);
                    sent.set(from + perTick);
                }
            } finally {
                sending.unlock();
            }
        }, 0, periodMs, TimeUnit.MILLISECONDS);
    }

    /** Events sent (and acknowledged by the broker) so far. */
    int sent() {
        return sent.get();
    }

    /** True while the stream runs; throws what stopped it (a refused send). For await conditions. */
    boolean running() throws Exception {
        if (task.isDone()) {
            task.get();
        }
        return true;
    }

    /** Stops sending, once the send under way (if any) is acknowledged. */
    void pause() {
        paused = true;
        sending.lock();
        sending.unlock();
    }

    void resume() {
        paused = false;
    }

    /**
     * Stops the stream after the send under way.
     *
     * @return how many events were sent in all
     */
    int stop() throws Exception {
        running();
        executor.shutdown();
        assertThat(executor.awaitTermination(150, TimeUnit.SECONDS)).as("the last send ended").isTrue();
        return sent.get();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
