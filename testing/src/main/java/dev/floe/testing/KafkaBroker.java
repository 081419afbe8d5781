package dev.floe.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker in KRaft mode (combined broker and controller), with client helpers: in this JVM
 * ({@link #start()}), or in a JVM of its own that can be stopped and started again with its data and port
 * ({@link #startInOwnProcess(Path)}).
 */
public final class KafkaBroker implements AutoCloseable {

    // exactly one of the two
    private final KafkaClusterTestKit cluster;
    private final BrokerProcess process;
    private KafkaProducer<byte[], byte[]> producer;

    private KafkaBroker(KafkaClusterTestKit cluster, BrokerProcess process) {
        this.cluster = cluster;
        this.process = process;
    }

    public static KafkaBroker start() {
        try {
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new KafkaBroker(cluster, null);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not start", e);
        }
    }

    /**
     * A broker in a JVM of its own (Kafka's {@code kafka.Kafka} main, on this JVM's class path), its configuration,
     * log directory and output ({@code broker.log}) in {@code dir}, which is emptied first. {@link #stop()} and
     * {@link #startAgain()} restart it as the same broker: same topics, records and group offsets, same address.
     */
    public static KafkaBroker startInOwnProcess(Path dir) {
        try {
            KafkaBroker broker = new KafkaBroker(null, BrokerProcess.format(dir));
            broker.startAgain();
            return broker;
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not start", e);
        }
    }

    /**
     * A broker in a JVM of its own, as {@link #startInOwnProcess(Path)}, with a second listener, SASL_SSL: SCRAM-SHA-512
     * with these users and passwords, TLS with the key store of {@code certificates}
     * ({@link #saslSslBootstrapServers()}, {@link #saslSslClientProperties}). The helpers of this class use the
     * PLAINTEXT listener.
     */
    public static KafkaBroker startInOwnProcessWithSaslSsl(Path dir, TestCertificates certificates,
            Map<String, String> scramUsers) {
        try {
            KafkaBroker broker = new KafkaBroker(null, BrokerProcess.format(dir, certificates, scramUsers));
            broker.startAgain();
            return broker;
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not start", e);
        }
    }

    /** The SASL_SSL listener of a broker started with {@link #startInOwnProcessWithSaslSsl}. */
    public String saslSslBootstrapServers() {
        return ownProcess().saslSslBootstrapServers();
    }

    /**
     * The client properties that reach the SASL_SSL listener as this user: SCRAM-SHA-512, and a trust store holding
     * the broker's certificate (host names are checked: the listener is advertised as localhost).
     */
    public static Map<String, String> saslSslClientProperties(TestCertificates certificates, String user,
            String password) {
        return Map.of("security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";",
                "ssl.truststore.type", "PKCS12",
                "ssl.truststore.location", certificates.trustStore().toString(),
                "ssl.truststore.password", certificates.password());
    }

    /**
     * Stops a broker started in its own process (SIGTERM, a controlled shutdown) and waits until it has exited. The
     * shared producer goes with it: one that lived through a restart once left a new topic's partition unsent until
     * its records expired (120 s), so every incarnation of the broker gets a fresh one.
     */
    public void stop() throws InterruptedException {
        closeProducer();
        ownProcess().stop();
    }

    /**
     * Closes the shared producer; the next send opens a new one. Tests that kill, restart or delete things call it
     * between tests, so no producer state (sequence numbers, epochs, metadata) outlives the test that made it.
     */
    public synchronized void closeProducer() {
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }

    /**
     * Starts a broker stopped with {@link #stop()} again, on the same port and log directory, and waits until it
     * serves: it answers, and every partition has a leader again.
     */
    public void startAgain() throws Exception {
        BrokerProcess broker = ownProcess();
        broker.start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers(), "request.timeout.ms", "5000",
                "default.api.timeout.ms", "5000"))) {
            waitUntil(() -> {
                if (!broker.isAlive()) {
                    throw new IllegalStateException("the Kafka broker exited: see " + broker.log());
                }
                return serves(admin);
            }, "the Kafka broker does not serve (see " + broker.log() + ")", 90_000);
        }
    }

    private BrokerProcess ownProcess() {
        if (process == null) {
            throw new IllegalStateException("only a broker started in its own process can be stopped and started");
        }
        return process;
    }

    /** True when the broker answers and every partition of every topic has a leader. */
    private static boolean serves(Admin admin) {
        try {
            if (admin.describeCluster().nodes().get().isEmpty()) {
                return false;
            }
            var topics = admin.listTopics().names().get();
            return admin.describeTopics(topics).allTopicNames().get().values().stream()
                    .flatMap(t -> t.partitions().stream())
                    .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            return false; // not up yet
        }
    }

    public String bootstrapServers() {
        return cluster != null ? cluster.bootstrapServers() : process.bootstrapServers();
    }

    /**
     * Creates the topic and waits until every partition has a leader: records sent before that are refused
     * (NOT_LEADER_OR_FOLLOWER), and the idempotent producer's retries can then fail with out-of-order sequences.
     */
    public void createTopic(String name, int partitions) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
            waitUntil(() -> hasLeaders(admin, name, partitions),
                    "topic " + name + " has no leader for every partition", 30_000);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Checks the condition every 50 ms; fails after {@code timeoutMs}. */
    private static void waitUntil(Callable<Boolean> condition, String failure, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.call()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(failure + " after " + timeoutMs / 1000 + " s");
            }
            LockSupport.parkNanos(50_000_000L);
        }
    }

    private static boolean hasLeaders(Admin admin, String topic, int partitions) {
        try {
            var description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            return description.partitions().size() == partitions
                    && description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            return false; // not known to the broker's metadata yet
        }
    }

    /** Deletes a topic and waits until the broker no longer lists it. */
    public void deleteTopic(String name) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            admin.deleteTopics(List.of(name)).all().get();
            waitUntil(() -> !admin.listTopics().names().get().contains(name), "topic " + name + " still listed",
                    30_000);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets (or, with a null value, removes) one config of a topic, e.g. {@code max.message.bytes}. */
    public void setTopicConfig(String topic, String key, String value) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            var resource = new ConfigResource(
                    ConfigResource.Type.TOPIC, topic);
            var op = value == null
                    ? new AlterConfigOp(
                            new ConfigEntry(key, ""),
                            AlterConfigOp.OpType.DELETE)
                    : new AlterConfigOp(
                            new ConfigEntry(key, value),
                            AlterConfigOp.OpType.SET);
            admin.incrementalAlterConfigs(Map.of(resource, List.of(op))).all().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.put("bootstrap.servers", bootstrapServers());
            p.put("linger.ms", "5");
            producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    public void send(ProducerRecord<byte[], byte[]> record) {
        sendAll(List.of(record));
    }

    /** Sends the records at once, without waiting for each, then waits until the broker has them all. */
    public void sendAll(List<ProducerRecord<byte[], byte[]>> records) {
        KafkaProducer<byte[], byte[]> producer = producer();
        List<Future<?>> sent = records.stream().<Future<?>>map(producer::send)
                .toList();
        producer.flush();
        try {
            for (Future<?> s : sent) {
                s.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every record of a topic, read from the beginning until none arrive for a while. */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int atLeast, Duration timeout) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        p.put("group.id", "reader-" + UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            while (out.size() < atLeast && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** The consumer group's committed offsets. */
    /** The partition's end offset: the offset the next record written to it gets. */
    public long endOffset(TopicPartition partition) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get()
                    .offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sets the group's committed offset for a partition, as an operator's tool would; waits until the group has no
     * member left (Kafka refuses to move the offsets of an active group).
     */
    public void commitGroupOffset(String group, TopicPartition partition, long offset) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            waitUntil(() -> {
                try {
                    admin.alterConsumerGroupOffsets(group, Map.of(partition, new OffsetAndMetadata(offset))).all()
                            .get();
                    return true;
                } catch (java.util.concurrent.ExecutionException e) {
                    return false; // members still in the group
                }
            }, "group " + group + " still has members", 30_000);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public Map<TopicPartition, OffsetAndMetadata> committed(String group) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        closeProducer();
        if (cluster != null) {
            cluster.close();
        } else {
            process.stop();
        }
    }
}
