package dev.floe.app.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
import dev.floe.app.routing.TableRouter;
import dev.floe.camel.iceberg.SourceOffsets;
import io.cloudevents.CloudEvent;
import org.apache.camel.component.kafka.consumer.errorhandler.KafkaConsumerListener;
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
 * whole poll is absorbed at once, after its dead letters are sent ({@link #absorb}); a batch claims, when it closes,
 * the highest offsets absorbed when its last records joined it; the commit is compare-and-set on what it was built on, so a batch
 * built on a stale view (another replica took the partition) is refused and nothing is written twice. Kafka's own
 * committed offsets follow the lowest offset still waiting for a commit, for lag monitoring and as the start of
 * tables that hold no watermark yet.
 * <p>
 * Camel's Kafka consumer calls this listener on its polling thread (the pausable EIP in the route installs it): after
 * each poll it counts the poll ({@link PollStamps}), commits offsets, updates the lag, and pauses and rewinds when
 * asked. The route runs each poll on that thread too; batches settle on commit threads.
 */
@ApplicationScoped
@Named("kafkaProgress")
public class KafkaProgress extends KafkaConsumerListener implements Predicate<Object> {

    /** Exchange property: the {@link Generation} a batch's records were read in. */
    public static final String GENERATION = "FloeKafkaGeneration";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaProgress.class);

    @Inject
    FloeConfig config;
    @Inject
    Catalog catalog;
    @Inject
    TableRouter router;
    @Inject
    FloeMetrics metrics;
    @Inject
    TopicIds topicIds;
    @Inject
    PollStamps stamps;

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

    /**
     * Partitions are leaving: hand the newest safe offsets to the group before another consumer starts. Records of them
     * fetched until now, which Camel may still hold, are stale.
     */
    void onRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        stamps.sought(partitions);
        commits.commitRevoked(consumer, partitions);
    }

    /** Partitions were lost (the consumer left the group): records of them fetched until now are stale. */
    void onLost(Collection<TopicPartition> partitions) {
        stamps.sought(partitions);
    }

    @Override
    public boolean afterConsume(Object ignored) {
        stamps.polled();
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
            stamps.sought(assigned);
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

    // ---- from the route, on the polling thread ----

    /** The generation records fetched now are read in. */
    synchronized Generation generation() {
        return generation;
    }

    /** Whether the consumer is to rewind: admission stops waiting for room. */
    boolean rewindPending() {
        return rewindPending;
    }

    /** Records of a poll that did not fit the memory budget: their partitions go back to the first of them. */
    void cut(List<PolledRecord> rest) {
        Map<TopicPartition, Long> from = new HashMap<>();
        for (PolledRecord record : rest) {
            from.merge(record.at().tp(), record.at().offset(), Math::min);
        }
        Consumer<?, ?> consumer = getConsumer();
        from.forEach(consumer::seek);
        stamps.sought(from.keySet());
    }

    /**
     * After the poll's dead letters are on their topic: every record of the poll counts as absorbed (dead-lettered,
     * already held by its table, or handed to its table's batch now), and the events go to their tables' batches, one
     * part per table, each with its share of the poll's room in the memory budget.
     *
     * @return the parts, for the route to batch
     */
    public synchronized List<KafkaTablePart> absorb(KafkaPoll poll) {
        for (PolledRecord record : poll.records()) {
            if (!record.isAbsorbable()) {
                throw new IllegalStateException("the dead letter of " + record.at().tp() + "@" + record.at().offset()
                        + " was not sent: " + record.rejection().getMessage());
            }
        }
        Generation g = poll.generation();
        Map<String, List<PolledRecord>> byTable = new LinkedHashMap<>();
        for (PolledRecord record : poll.records()) {
            SourcePosition at = record.at();
            if (record.rejection() == null && at.offset() > g.held(record.table(), at.tp())) {
                g.added(at);
                byTable.computeIfAbsent(record.table(), t -> new ArrayList<>()).add(record);
            } else {
                g.seen(at.tp(), at.offset());
            }
        }
        Map<TopicPartition, Long> absorbed = g.absorbedSoFar();
        List<KafkaTablePart> parts = new ArrayList<>(byTable.size());
        byTable.forEach((table, records) -> {
            List<CloudEvent> events = new ArrayList<>(records.size());
            List<SourcePosition> positions = new ArrayList<>(records.size());
            long bytes = 0;
            for (PolledRecord record : records) {
                events.add(record.event());
                positions.add(record.at());
                bytes += record.size();
            }
            parts.add(new KafkaTablePart(table, router.endpointUri(table), g, events, positions, bytes,
                    poll.room().part(records.size(), bytes), absorbed));
        });
        poll.tables().addAll(parts);
        return parts;
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

    /** A batch of {@code table} closes: it claims what was absorbed when its last part joined it. */
    synchronized SourceOffsets claim(Generation g, String table, Map<TopicPartition, Long> absorbed) {
        return g.claim(source, table, absorbed);
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
