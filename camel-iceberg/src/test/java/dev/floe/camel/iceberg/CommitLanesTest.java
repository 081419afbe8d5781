package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A table's batches commit on its lane's one thread, however many wait; and while the lanes stop, every batch handed to
 * them is answered exactly once: committed by a lane, or failed back to its caller, never both and never neither.
 */
class CommitLanesTest {

    private static final TableIdentifier TABLE = TableIdentifier.of("it", "lanes");

    private DefaultCamelContext camel;
    private CommitLanes lanes;
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch holding = new CountDownLatch(1);
    private final List<PendingBatch> committed = new CopyOnWriteArrayList<>();
    private final Set<String> committingThreads = ConcurrentHashMap.newKeySet();
    private final Map<Exchange, AtomicInteger> answers = new ConcurrentHashMap<>();

    @BeforeEach
    void start() {
        camel = new DefaultCamelContext();
        camel.start();
        lanes = new CommitLanes(camel.getExecutorServiceManager(), this);
    }

    @AfterEach
    void stop() {
        release.countDown();
        camel.stop();
    }

    /** Commits a group, answering each batch; the first group holds the lane until released. */
    private final Consumer<List<PendingBatch>> commitGroup = group -> {
        if (holding.getCount() == 1) {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        committingThreads.add(Thread.currentThread().getName());
        committed.addAll(group);
        group.forEach(b -> b.callback().done(false));
    };

    private PendingBatch batch(String id) {
        Exchange exchange = new DefaultExchange(camel);
        AtomicInteger count = new AtomicInteger();
        answers.put(exchange, count);
        return new PendingBatch(exchange, doneSync -> count.incrementAndGet(), id, List.of(id), null);
    }

    private int answersOf(PendingBatch batch) {
        return answers.get(batch.exchange()).get();
    }

    @Test
    void aLaneCommitsOnItsOwnThreadHoweverManyBatchesWait() {
        PendingBatch first = batch("first");
        lanes.submit(TABLE, first, 10, 0, commitGroup);
        List<PendingBatch> waiting = IntStream.range(0, 3000).mapToObj(i -> batch("b" + i)).toList();
        // a commit that takes long (a catalog outage) while thousands of batches queue behind it: Camel's default
        // pool would run the lane's work on the submitting thread past 1,000 queued tasks, beside the lane's own
        waiting.forEach(b -> lanes.submit(TABLE, b, 10, 0, commitGroup));
        release.countDown();

        await().atMost(Duration.ofSeconds(30)).until(() -> committed.size() == 3001);
        assertThat(committingThreads).hasSize(1).noneMatch(name -> name.equals(Thread.currentThread().getName()));
        assertThat(waiting).allSatisfy(b -> assertThat(answersOf(b)).isEqualTo(1));
    }

    @Test
    void aBatchHandedToAStoppingLaneIsAnsweredOnceAndNoneAfterItStopped() throws Exception {
        // stopping waits for the lanes long enough here
        camel.getExecutorServiceManager().setShutdownAwaitTermination(30_000);
        PendingBatch first = batch("first");
        PendingBatch queued = batch("queued");
        PendingBatch late = batch("late");
        lanes.submit(TABLE, first, 10, 0, commitGroup);
        holding.await();
        lanes.submit(TABLE, queued, 10, 0, commitGroup);
        Thread stopping = new Thread(lanes::shutdown);
        stopping.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> lanes.isStopping(TABLE));

        // the lane takes no new task now, but the task queued before it stopped takes this batch too
        lanes.submit(TABLE, late, 10, 0, commitGroup);
        release.countDown();
        stopping.join(10_000);
        assertThat(committed).containsExactly(first, queued, late);
        assertThat(List.of(first, queued, late)).allSatisfy(b -> assertThat(answersOf(b)).isEqualTo(1));

        // stopped: refused to the caller, who answers it; nothing starts a lane again
        PendingBatch after = batch("after");
        assertThatThrownBy(() -> lanes.submit(TABLE, after, 10, 0, commitGroup))
                .isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> lanes.submit(TableIdentifier.of("it", "other"), batch("other"), 10, 0, commitGroup))
                .isInstanceOf(RejectedExecutionException.class);
        assertThat(committed).containsExactly(first, queued, late);
        assertThat(answersOf(after)).isZero();
    }

    @Test
    void aBatchStillQueuedWhenStoppingGivesUpIsFailedNotLeftWaiting() throws Exception {
        // stopping waits 300 ms for the lanes, then interrupts them and drops their queued tasks
        camel.getExecutorServiceManager().setShutdownAwaitTermination(300);
        PendingBatch first = batch("first");
        PendingBatch queued = batch("queued");
        lanes.submit(TABLE, first, 10, 0, commitGroup);
        holding.await();
        lanes.submit(TABLE, queued, 10, 0, commitGroup);

        // the first group holds the lane past those 300 ms (interrupted, it commits at once)
        lanes.shutdown();

        await().atMost(Duration.ofSeconds(5)).until(() -> answersOf(first) == 1);
        assertThat(committed).containsExactly(first);
        assertThat(answersOf(queued)).isEqualTo(1);
        assertThat(queued.exchange().getException()).isInstanceOf(IcebergWriteException.class)
                .hasMessageContaining("stopped before its commit");
    }
}
