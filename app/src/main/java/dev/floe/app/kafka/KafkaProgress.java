package dev.floe.app.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import dev.floe.app.CrashPoint;
import dev.floe.app.FloeConfig;
import dev.floe.app.FloeMetrics;
import dev.floe.app.batch.Admission;
import dev.floe.app.batch.EventBatchAggregation;
import dev.floe.app.batch.Reservation;
import dev.floe.app.routing.TableRouter;
import dev.floe.camel.iceberg.SourceOffsets;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.consumer.errorhandler.KafkaConsumerListener;
import org.apache.camel.component.kafka.consumer.support.ProcessingResult;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the Kafka source stands, with the tables as the source of truth (see README "Kafka: exactly once").
 * <p>
 * On every partition assignment, and after any failed batch, the consumer is rewound: it reads each table's
 * watermarks (the offsets it has absorbed, stored with its commits) and seeks every partition to the lowest one + 1. A
 * {@link Generation} then tracks, per table and partition, the watermark the next batch builds on and the highest
 * offset the route has absorbed (written into a batch, routed to another table, already held, or dead-lettered). A
 * batch claims that highest offset when it closes; the commit is compare-and-set on what it was built on, so a batch
 * built on a stale view (another replica took the partition) is refused and nothing is written twice. Kafka's own
 * committed offsets follow the lowest offset still waiting for a commit, for lag monitoring and as the start of
 * tables that hold no watermark yet.
 * <p>
 * Camel's Kafka consumer calls this listener on its polling thread (the pausable EIP in the route installs it): after
 * each poll it commits offsets, updates the lag, and pauses and rewinds when asked. Batches settle on commit threads.
 */
@ApplicationScoped
@Named("kafkaProgress")
public class KafkaProgress extends KafkaConsumerListener implements Predicate<Object> {

    /** Exchange property: the {@link Generation} a record was read in. */
    public static final String GENERATION = "FloeKafkaGeneration";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaProgress.class);
    private static final long BACKPRESSURE_MAX_WAIT_MS = 5_000;

    @Inject
    FloeConfig config;
    @Inject
    Catalog catalog;
    @Inject
    TableRouter router;
    @Inject
    FloeMetrics metrics;
    @Inject
    Admission admission;
    @Inject
    TopicIds topicIds;

    private String source;
    private StartPositions.Reset reset;
    private Generation generation = Generation.none();
    private volatile boolean rewindPending;
    private volatile String rewindReason;
    private long retryAt;
    private final OffsetCommits commits = new OffsetCommits();
    private final PartitionLag lag = new PartitionLag(
            (tp, gauge) -> metrics.kafkaLag(tp.topic(), tp.partition(), gauge), System::currentTimeMillis);
    private final DrainMode drain = new DrainMode(this);

    @PostConstruct
    void init() {
        String group = config.kafka().groupId();
        if (!group.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("floe.kafka.group-id '" + group
                    + "' must use letters, digits and ._- only: it names the watermarks in the tables");
        }
        source = "kafka." + group;
        reset = StartPositions.Reset.of(config.kafka().autoOffsetReset());
    }

    /** The name of this consumer group's watermarks in the tables' snapshot summaries. */
    public String source() {
        return source;
    }

    // ---- on the polling thread ----

    /** Partitions were assigned (inside poll, before anything is fetched): start them at the tables' watermarks. */
    void onAssigned(Consumer<?, ?> consumer) {
        rewind(consumer, "partitions assigned: " + consumer.assignment());
    }

    /** Partitions are leaving: hand the newest safe offsets to the group before another consumer starts. */
    void onRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        commits.commitRevoked(consumer, partitions);
    }

    @Override
    public boolean afterConsume(Object ignored) {
        Consumer<?, ?> consumer = getConsumer();
        commits.commitAsync(consumer);
        Generation g;
        synchronized (this) {
            g = generation;
        }
        lag.update(consumer, g.assigned, tp -> safeOffset(g, tp));
        if (!rewindPending) {
            if (config.kafka().drain()) {
                drain.check(consumer);
            }
            return true;
        }
        if (System.currentTimeMillis() >= retryAt) {
            rewind(consumer, rewindReason);
        } else {
            consumer.pause(consumer.assignment());
        }
        // whatever this poll fetched was fetched before the seek
        return false;
    }

    @Override
    public boolean afterProcess(ProcessingResult result) {
        if (result.isFailed()) {
            requestRewind("a record failed outside the dead-letter path");
        }
        // stop at once: the rest of this poll is replayed from the tables' watermarks
        return !rewindPending;
    }

    @Override
    public boolean test(Object ignored) {
        return !rewindPending;
    }

    /** Seeks every assigned partition to where its tables stand, and starts a new generation. */
    private void rewind(Consumer<?, ?> consumer, String why) {
        Set<TopicPartition> assigned = Set.copyOf(consumer.assignment());
        Map<TopicPartition, Long> lastSeen;
        try {
            TableWatermarks tables = TableWatermarks.read(catalog, router.tables(), source, assigned);
            Map<String, String> ids = topicIds
                    .of(assigned.stream().map(TopicPartition::topic).collect(Collectors.toCollection(TreeSet::new)));
            Map<TopicPartition, Long> ends = assigned.isEmpty() ? Map.of() : consumer.endOffsets(assigned);
            Map<String, Map<TopicPartition, Long>> held = PastTheEnd.setAside(tables.actual(), ends,
                    tables.storedIds(), ids);
            // per partition, the offset before the start
            lastSeen = new HashMap<>();
            for (var start : StartPositions.of(assigned, held, () -> consumer.committed(assigned), reset).entrySet()) {
                start.getValue().seek(consumer, start.getKey());
                lastSeen.put(start.getKey(), consumer.position(start.getKey()) - 1);
            }
            synchronized (this) {
                generation.failed = true;
                // the old generation's batches keep their room in the memory budget until they settle
                generation = new Generation(generation.id + 1, assigned, held, tables.actual(), lastSeen, ids);
            }
        } catch (WakeupException | InterruptException e) {
            throw e; // Camel is stopping the consumer
        } catch (RuntimeException e) {
            LOG.warn("Kafka consumption paused ({}): cannot start from the tables' watermarks: {}; retrying in {} ms",
                    why, e.getMessage(), config.kafka().pauseRetryMs());
            synchronized (this) {
                generation.failed = true;
            }
            consumer.pause(assigned);
            rewindReason = why;
            rewindPending = true;
            retryAt = System.currentTimeMillis() + config.kafka().pauseRetryMs();
            return;
        }
        commits.clear();
        lag.retain(assigned);
        rewindPending = false;
        consumer.resume(assigned);
        if (generation.id > 1) {
            metrics.kafkaRewound();
        }
        LOG.info("Kafka generation {} ({}): {} start after {}", generation.id, why, assigned, lastSeen);
    }

    // ---- from the route ----

    /**
     * On the polling thread, after routing: drops a record its table already holds, otherwise takes room for it in the
     * memory budget (waiting while it is full: the consumer stops fetching meanwhile) and tags it with the generation.
     *
     * @return false when the record is not to be batched: its table holds it already, or no room came in time
     */
    public boolean admit(SourcePosition at, String table, Exchange exchange) {
        Generation g;
        synchronized (this) {
            g = generation;
            if (at.offset() <= g.held(table, at.tp())) {
                LOG.debug("{}@{} is in {} already", at.tp(), at.offset(), table);
                g.seen(at.tp(), at.offset());
                return false;
            }
        }
        long bytes = exchange.getProperty(EventBatchAggregation.INPUT_BYTES, 0L, Long.class);
        // not under this monitor: the batches that free the room settle through it
        Reservation room = admission.reserve(bytes, BACKPRESSURE_MAX_WAIT_MS, () -> rewindPending);
        if (room == null) {
            // still full: stop this poll (a longer wait would cost the consumer its group membership) and read again
            // from the tables once the commits have caught up; what older batches hold still counts meanwhile
            requestRewind("the memory budget is full (floe.max-pending-events, floe.max-pending-bytes)");
            return false;
        }
        room.heldBy(exchange);
        exchange.setProperty(GENERATION, g);
        return true;
    }

    /** A record was dead-lettered (the dead letter is on the topic): it counts as absorbed by every table. */
    public synchronized void absorbed(SourcePosition at) {
        LOG.debug("{}@{} was dead-lettered", at.tp(), at.offset());
        generation.seen(at.tp(), at.offset());
    }

    /** Asks the polling thread to pause and rewind to the tables' watermarks. */
    public void requestRewind(String why) {
        if (!rewindPending) {
            LOG.warn("Kafka consumption pauses and replays from the tables' watermarks: {}", why);
            rewindReason = why;
            retryAt = System.currentTimeMillis() + config.kafka().pauseRetryMs();
            rewindPending = true;
        }
    }

    // ---- from the aggregator (under its lock) and the commit threads ----

    /** A record joined a batch. */
    synchronized void added(Generation g, SourcePosition at) {
        g.added(at);
    }

    /** A batch of {@code table} closes: it claims everything absorbed so far, on top of its table's last claim. */
    synchronized SourceOffsets claim(Generation g, String table) {
        return g.claim(source, table);
    }

    /** A batch settled: its records no longer wait; on failure, replay from the tables. */
    synchronized void settled(Generation g, List<SourcePosition> records, SourceOffsets claims, Throwable failure) {
        g.settled(records);
        if (failure != null) {
            // the generation's later batches may commit, but its offsets are no longer safe to hand to Kafka: the
            // failed batch's records are no longer counted as waiting
            g.failed = true;
            if (g == generation) {
                requestRewind(failure.getMessage());
            }
            return;
        }
        if (g != generation || g.failed) {
            return; // an older generation's batch: the consumer has moved on
        }
        CrashPoint.afterTableCommit();
        commits.settled(g, claims);
    }

    /** The lowest offset of the partition not yet safely in the tables. */
    synchronized long safeOffset(TopicPartition tp) {
        return generation.safeOffset(tp);
    }

    private synchronized long safeOffset(Generation g, TopicPartition tp) {
        return g.safeOffset(tp);
    }

    /** The partitions of the running generation; null before the first, or once a batch of it failed. */
    synchronized Set<TopicPartition> assigned() {
        return generation.id == 0 || generation.failed ? null : generation.assigned;
    }
}
