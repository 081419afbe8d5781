package dev.floe.app.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

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
import dev.floe.camel.iceberg.TableNames;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.consumer.errorhandler.KafkaConsumerListener;
import org.apache.camel.component.kafka.consumer.support.ProcessingResult;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
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
    private static final long LAG_EVERY_MS = 1000;
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
    private Generation generation = new Generation(0, Set.of(), Map.of(), Map.of(), Map.of(), Map.of());
    private volatile boolean rewindPending;
    private volatile String rewindReason;
    private long retryAt;
    private long lagUpdatedAt;
    private final Map<TopicPartition, Long> toCommit = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> lag = new ConcurrentHashMap<>();
    private final DrainMode drain = new DrainMode(this);

    @PostConstruct
    void init() {
        String group = config.kafka().groupId();
        if (!group.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("floe.kafka.group-id '" + group
                    + "' must use letters, digits and ._- only: it names the watermarks in the tables");
        }
        source = "kafka." + group;
        String reset = config.kafka().autoOffsetReset();
        if (!reset.equals("earliest") && !reset.equals("latest")) {
            throw new IllegalArgumentException("floe.kafka.auto-offset-reset must be earliest or latest, not " + reset);
        }
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
        Map<TopicPartition, OffsetAndMetadata> offsets = takeCommits(partitions);
        if (!offsets.isEmpty()) {
            try {
                consumer.commitSync(offsets);
            } catch (RuntimeException e) {
                LOG.debug("Could not commit offsets of revoked partitions: {}", e.toString());
            }
        }
    }

    @Override
    public boolean afterConsume(Object ignored) {
        Consumer<?, ?> consumer = getConsumer();
        Map<TopicPartition, OffsetAndMetadata> offsets = takeCommits(consumer.assignment());
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets, (done, e) -> {
                if (e != null) {
                    LOG.debug("Kafka offset commit failed (the tables hold the truth, lag only): {}", e.toString());
                }
            });
        }
        updateLag(consumer);
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
            // the tables' watermarks: what their next commits are compared with, and the topic ids stored with them
            Map<String, Map<TopicPartition, Long>> actual = new TreeMap<>();
            Map<String, Map<String, String>> storedIds = new TreeMap<>();
            for (String table : router.tables()) {
                readWatermarks(table, assigned, actual, storedIds);
            }
            Map<String, String> ids = topicIds.of(topics(assigned));
            Map<String, Map<TopicPartition, Long>> held = withoutWatermarksPastTheEnd(consumer, assigned, actual,
                    storedIds, ids);
            lastSeen = seek(consumer, assigned, held);
            synchronized (this) {
                generation.failed = true;
                // the old generation's batches keep their room in the memory budget until they settle
                generation = new Generation(generation.id + 1, assigned, held, actual, lastSeen, ids);
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
        toCommit.clear();
        // partitions that went elsewhere: their lag is another consumer's to report
        lag.keySet().retainAll(assigned);
        rewindPending = false;
        consumer.resume(assigned);
        if (generation.id > 1) {
            metrics.kafkaRewound();
        }
        LOG.info("Kafka generation {} ({}): {} start after {}", generation.id, why, assigned, lastSeen);
    }

    /**
     * Seeks each partition to the lowest watermark + 1 of the tables it feeds. A table without a watermark may still
     * miss anything from the group's committed offset on, so that counts too; with neither, auto.offset.reset decides:
     * earliest starts at the beginning, latest at the lowest known watermark + 1, or at the end if no table knows one.
     *
     * @return per partition, the offset before the start
     */
    private Map<TopicPartition, Long> seek(Consumer<?, ?> consumer, Set<TopicPartition> assigned,
            Map<String, Map<TopicPartition, Long>> held) {
        Map<TopicPartition, OffsetAndMetadata> committed = null;
        Map<TopicPartition, Long> lastSeen = new HashMap<>();
        for (TopicPartition tp : assigned) {
            long start = Long.MAX_VALUE;
            boolean someTableHasNone = false;
            for (Map<TopicPartition, Long> watermarks : held.values()) {
                long w = watermarks.get(tp);
                if (w < 0) {
                    someTableHasNone = true;
                } else {
                    start = Math.min(start, w + 1);
                }
            }
            boolean latest = config.kafka().autoOffsetReset().equals("latest");
            if (someTableHasNone) {
                if (committed == null) {
                    committed = consumer.committed(assigned);
                }
                OffsetAndMetadata group = committed.get(tp);
                if (group != null) {
                    start = Math.min(start, group.offset());
                } else if (!latest) {
                    start = -1;
                }
            }
            if (start == Long.MAX_VALUE && latest) {
                consumer.seekToEnd(List.of(tp));
            } else if (start < 0 || start == Long.MAX_VALUE) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, start);
            }
            lastSeen.put(tp, consumer.position(tp) - 1);
        }
        return lastSeen;
    }

    /**
     * A watermark at or past the partition's end means the topic was created again (its id changed: read it from the
     * start) or the partition was truncated (same id: carry on from its end); see {@link PastTheEnd}. Such a watermark
     * is set aside for reading (with a warning); the table's next commit, still compared with it, moves it back.
     */
    private static Map<String, Map<TopicPartition, Long>> withoutWatermarksPastTheEnd(Consumer<?, ?> consumer,
            Set<TopicPartition> assigned, Map<String, Map<TopicPartition, Long>> actual,
            Map<String, Map<String, String>> storedIds, Map<String, String> ids) {
        Map<TopicPartition, Long> ends = assigned.isEmpty() ? Map.of() : consumer.endOffsets(assigned);
        Map<String, Map<TopicPartition, Long>> held = new TreeMap<>();
        actual.forEach((table, watermarks) -> {
            Map<TopicPartition, Long> usable = new HashMap<>(watermarks);
            usable.replaceAll((tp, w) -> {
                Long end = ends.get(tp);
                if (end == null || w < end) {
                    return w;
                }
                String stored = storedIds.getOrDefault(table, Map.of()).get(tp.topic());
                long from = PastTheEnd.held(w, end, stored, ids.get(tp.topic()));
                LOG.warn("Table {} holds {} up to offset {} but the partition ends at {}: {}", table, tp, w, end,
                        from == SourceOffsets.NONE
                                ? "the topic was created again (its id changed); reading it from the start"
                                : "the partition was truncated; reading on from its end");
                return from;
            });
            held.put(table, usable);
        });
        return held;
    }

    private void readWatermarks(String table, Set<TopicPartition> partitions,
            Map<String, Map<TopicPartition, Long>> watermarks, Map<String, Map<String, String>> storedIds) {
        Map<String, TopicPartition> byName = new HashMap<>();
        partitions.forEach(tp -> byName.put(name(tp), tp));
        Map<TopicPartition, Long> result = new HashMap<>();
        try {
            Table loaded = catalog.loadTable(TableNames.parse(table));
            SourceOffsets.read(loaded, source, byName.keySet())
                    .forEach((name, offset) -> result.put(byName.get(name), offset));
            storedIds.put(table, SourceOffsets.readTopicIds(loaded, source));
        } catch (NoSuchTableException e) {
            partitions.forEach(tp -> result.put(tp, SourceOffsets.NONE));
        }
        watermarks.put(table, result);
    }

    private static Set<String> topics(Set<TopicPartition> partitions) {
        Set<String> topics = new TreeSet<>();
        partitions.forEach(tp -> topics.add(tp.topic()));
        return topics;
    }

    private Map<TopicPartition, OffsetAndMetadata> takeCommits(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Long offset = toCommit.remove(tp);
            if (offset != null) {
                offsets.put(tp, new OffsetAndMetadata(offset));
            }
        }
        return offsets;
    }

    private void updateLag(Consumer<?, ?> consumer) {
        long now = System.currentTimeMillis();
        if (now - lagUpdatedAt < LAG_EVERY_MS) {
            return;
        }
        lagUpdatedAt = now;
        Generation g;
        synchronized (this) {
            g = generation;
        }
        Set<TopicPartition> current = consumer.assignment();
        for (TopicPartition tp : g.assigned) {
            if (!current.contains(tp)) {
                continue;
            }
            var behindPosition = consumer.currentLag(tp);
            if (behindPosition.isEmpty()) {
                continue;
            }
            long end = consumer.position(tp) + behindPosition.getAsLong();
            long safe;
            synchronized (this) {
                safe = g.safeOffset(tp);
            }
            if (lag.put(tp, Math.max(0, end - safe)) == null) {
                metrics.kafkaLag(tp.topic(), tp.partition(), () -> lag.getOrDefault(tp, 0L));
            }
        }
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
        exchange.setProperty(Reservation.class.getName(), room);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {

            @Override
            public void onDone(Exchange done) {
                if (!room.isBatched()) {
                    room.release(); // the record never reached a batch
                }
            }
        });
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
        g.seen(at.tp(), at.offset());
        g.pending.computeIfAbsent(at.tp(), tp -> new TreeSet<>()).add(at.offset());
    }

    /** A batch of {@code table} closes: it claims everything absorbed so far, on top of its table's last claim. */
    synchronized SourceOffsets claim(Generation g, String table) {
        Map<String, Long> expected = new TreeMap<>();
        Map<String, Long> claimed = new TreeMap<>();
        Map<TopicPartition, Long> base = g.expected.computeIfAbsent(table,
                t -> new HashMap<>(g.actual.getOrDefault(t, Map.of())));
        for (TopicPartition tp : g.assigned) {
            long from = base.getOrDefault(tp, SourceOffsets.NONE);
            long to = g.lastSeen.get(tp);
            // a watermark set aside (past the end of a topic created again) is moved back by the first claim
            boolean setAside = from != g.held(table, tp) && to < from;
            if (to > from || setAside) {
                expected.put(name(tp), from);
                claimed.put(name(tp), to);
                base.put(tp, to);
            }
        }
        LOG.debug("A batch of {} (generation {}) claims {} on top of {}", table, g.id, claimed, expected);
        return new SourceOffsets(source, expected, claimed, g.topicIds);
    }

    /** A batch settled: its records no longer wait; on failure, replay from the tables. */
    synchronized void settled(Generation g, List<SourcePosition> records, SourceOffsets claims, Throwable failure) {
        for (SourcePosition at : records) {
            TreeSet<Long> waiting = g.pending.get(at.tp());
            if (waiting != null) {
                waiting.remove(at.offset());
            }
        }
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
        for (TopicPartition tp : g.assigned) {
            if (claims.claimed().containsKey(name(tp))) {
                toCommit.put(tp, g.safeOffset(tp));
            }
        }
    }

    /** The lowest offset of the partition not yet safely in the tables. */
    synchronized long safeOffset(TopicPartition tp) {
        return generation.safeOffset(tp);
    }

    /** The partitions of the running generation; null before the first, or once a batch of it failed. */
    synchronized Set<TopicPartition> assigned() {
        return generation.id == 0 || generation.failed ? null : generation.assigned;
    }

    static String name(TopicPartition tp) {
        return tp.topic() + "/" + tp.partition();
    }

    /** One run of the consumer between rewinds. Guarded by the KafkaProgress monitor. */
    static final class Generation {

        final int id;
        final Set<TopicPartition> assigned;
        /** Per table and partition: the watermark the table had when this generation started (what it skips). */
        final Map<String, Map<TopicPartition, Long>> held;
        /** Per table and partition: the table's watermark as stored, the base of its first commit. */
        final Map<String, Map<TopicPartition, Long>> actual;
        /** Set once a batch failed or a newer generation started: its offsets are not handed to Kafka any more. */
        boolean failed;
        /** Per table and partition: what the table's next batch builds on (its previous batch's claim). */
        final Map<String, Map<TopicPartition, Long>> expected = new HashMap<>();
        /** Per partition: the highest offset absorbed. */
        final Map<TopicPartition, Long> lastSeen;
        /** Per partition: offsets in batches not committed yet. */
        final Map<TopicPartition, TreeSet<Long>> pending = new HashMap<>();
        /** Per assigned topic, its id when this generation started: stored with every claim. */
        final Map<String, String> topicIds;

        Generation(int id, Set<TopicPartition> assigned, Map<String, Map<TopicPartition, Long>> held,
                Map<String, Map<TopicPartition, Long>> actual, Map<TopicPartition, Long> lastSeen,
                Map<String, String> topicIds) {
            this.id = id;
            this.topicIds = Map.copyOf(topicIds);
            this.assigned = assigned;
            this.held = held;
            this.actual = actual;
            this.lastSeen = new HashMap<>(lastSeen);
        }

        long held(String table, TopicPartition tp) {
            Map<TopicPartition, Long> watermarks = held.get(table);
            Long w = watermarks == null ? null : watermarks.get(tp);
            return w == null ? SourceOffsets.NONE : w;
        }

        void seen(TopicPartition tp, long offset) {
            lastSeen.merge(tp, offset, Math::max);
        }

        /** The lowest offset not yet safely in the tables: where a restart without watermarks must begin. */
        long safeOffset(TopicPartition tp) {
            TreeSet<Long> waiting = pending.get(tp);
            if (waiting != null && !waiting.isEmpty()) {
                return waiting.first();
            }
            Long seen = lastSeen.get(tp);
            return seen == null ? 0 : seen + 1;
        }
    }
}
