package dev.floe.camel.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The two stages of a table's lane on their own (no table): a group is written while the one before it commits, at
 * most one written group waits, commits keep the order of the writes and learn whether the one before failed, a
 * maintenance call runs between two commits, and stopping drains both stages.
 */
class CommitLanesTest {

    private static final TableIdentifier TABLE = TableIdentifier.of("lanes", "t");

    private DefaultCamelContext context;
    private CommitLanes lanes;
    private final ExecutorService caller = Executors.newSingleThreadExecutor(r -> new Thread(r, "maintenance-caller"));

    @BeforeEach
    void start() {
        context = new DefaultCamelContext();
        context.start();
        lanes = new CommitLanes(context.getExecutorServiceManager(), this);
    }

    @AfterEach
    void stop() {
        lanes.shutdown();
        context.stop();
        caller.shutdownNow();
    }

    /** Records what each stage did; a commit waits for its latch to be opened. */
    private static final class Recording implements CommitLanes.Stages<String> {

        final List<String> events = new CopyOnWriteArrayList<>();
        final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
        final Map<String, Boolean> fails = new ConcurrentHashMap<>();

        CountDownLatch hold(String batch) {
            return holds.computeIfAbsent(batch, b -> new CountDownLatch(1));
        }

        @Override
        public String write(List<PendingBatch> group) {
            String name = String.join("+", group.stream().map(PendingBatch::batchId).toList());
            events.add("write " + name);
            return name;
        }

        @Override
        public boolean commit(String written, boolean afterFailure) {
            events.add("commit " + written + (afterFailure ? " after a failure" : ""));
            try {
                hold(written).await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            events.add("committed " + written);
            return !fails.getOrDefault(written, false);
        }

        @Override
        public void abandon(String written, RuntimeException why) {
            events.add("abandoned " + written);
        }
    }

    private void submit(String batchId, Recording stages) {
        // one row each and a group limit of one row: each batch is a group of its own
        lanes.submit(TABLE, new PendingBatch(null, null, batchId, List.of(batchId), null), 1, 0, stages);
    }

    @Test
    void theNextGroupIsWrittenWhileACommitWaitsAndAtMostOneWrittenGroupWaits() {
        Recording stages = new Recording();
        CountDownLatch first = stages.hold("a");
        CountDownLatch second = stages.hold("b");
        stages.hold("c").countDown();
        submit("a", stages);
        submit("b", stages);
        submit("c", stages);

        // a's commit is held: b is written meanwhile, c is not (b waits written, a commits)
        await().atMost(Duration.ofSeconds(10)).until(() -> stages.events.contains("write b"));
        await().atMost(Duration.ofSeconds(10)).until(() -> writerWaitsForRoom());
        // (the two threads add their lines in either order)
        assertThat(stages.events).containsExactlyInAnyOrder("write a", "commit a", "write b");

        first.countDown();
        // a done: b commits, c is written while b's commit is held
        await().atMost(Duration.ofSeconds(10)).until(() -> stages.events.contains("write c"));
        assertThat(stages.events).containsSubsequence("commit a", "committed a", "commit b")
                .containsSubsequence("committed a", "write c").doesNotContain("committed b");
        second.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> stages.events.contains("committed c"));
        assertThat(stages.events).containsSubsequence("committed a", "commit b", "committed b", "commit c");
    }

    private static boolean writerWaitsForRoom() {
        return threadWaitsIn("IcebergWrite[lanes.t]", "acquire");
    }

    private static boolean threadWaitsIn(String thread, String method) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().contains(thread))
                .anyMatch(e -> e.getKey().getState() == Thread.State.WAITING
                        && List.of(e.getValue()).stream().anyMatch(frame -> frame.getMethodName().equals(method)));
    }

    @Test
    void aCommitLearnsThatTheOneBeforeFailed() {
        Recording stages = new Recording();
        CountDownLatch first = stages.hold("a");
        stages.hold("b").countDown();
        stages.hold("c").countDown();
        stages.fails.put("a", true);
        submit("a", stages);
        submit("b", stages);
        await().atMost(Duration.ofSeconds(10)).until(() -> stages.events.contains("write b"));
        first.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> stages.events.contains("committed b"));
        submit("c", stages);
        await().atMost(Duration.ofSeconds(10)).until(() -> stages.events.contains("committed c"));

        assertThat(stages.events).containsSubsequence("committed a", "commit b after a failure", "committed b",
                "commit c");
        assertThat(stages.events).doesNotContain("commit c after a failure");
    }

    @Test
    void maintenanceRunsBetweenTwoCommitsWhileTheWriterGoesOn() throws Exception {
        Recording stages = new Recording();
        CountDownLatch first = stages.hold("a");
        stages.hold("b").countDown();
        submit("a", stages);
        await().atMost(Duration.ofSeconds(10)).until(() -> stages.events.contains("commit a"));
        Future<String> maintenance = caller.submit(() -> lanes.callBetweenCommits(TABLE, () -> {
            stages.events.add("maintenance");
            return "done";
        }));
        // the call has queued on the committer when its caller waits for the answer
        await().atMost(Duration.ofSeconds(10)).until(() -> threadWaitsIn("maintenance-caller", "callBetweenCommits"));
        submit("b", stages);
        await().atMost(Duration.ofSeconds(10)).until(() -> stages.events.contains("write b"));
        first.countDown();

        assertThat(maintenance.get(10, TimeUnit.SECONDS)).isEqualTo("done");
        await().atMost(Duration.ofSeconds(10)).until(() -> stages.events.contains("committed b"));
        assertThat(stages.events).containsSubsequence("commit a", "committed a", "maintenance", "commit b",
                "committed b");
    }

    @Test
    void stoppingDrainsBothStages() {
        Recording stages = new Recording();
        CountDownLatch first = stages.hold("a");
        stages.hold("b").countDown();
        stages.hold("c").countDown();
        submit("a", stages);
        submit("b", stages);
        submit("c", stages);
        await().atMost(Duration.ofSeconds(10)).until(() -> stages.events.contains("write b"));
        caller.submit(first::countDown);

        lanes.shutdown();

        assertThat(stages.events).containsSubsequence("committed a", "committed b", "committed c");
        assertThat(stages.events).noneMatch(e -> e.startsWith("abandoned"));
    }
}
