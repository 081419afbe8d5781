package dev.floe.app.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.floe.app.FloeConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;

/**
 * Kafka's topic ids, which change when a topic is deleted and created again: stored with the tables' watermarks, they
 * tell a re-created topic (read it from its start) from a partition truncated by an unclean leader election (carry on
 * from its end). The consumer API does not expose them, so an Admin client with the consumer's settings asks.
 */
@ApplicationScoped
class TopicIds {

    private static final long TIMEOUT_SECONDS = 15;

    @Inject
    FloeConfig config;

    private Admin admin;

    /** The id of each topic; fails when Kafka does not answer (the rewind is then tried again). */
    synchronized Map<String, String> of(Set<String> topics) {
        if (topics.isEmpty()) {
            return Map.of();
        }
        if (admin == null) {
            Properties properties = new Properties();
            properties.putAll(config.kafka().properties());
            properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
            admin = Admin.create(properties);
        }
        try {
            Map<String, String> ids = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .forEach((topic, description) -> ids.put(topic, description.topicId().toString()));
            return ids;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while asking for the ids of " + topics, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("cannot learn the ids of topics " + topics + ": " + e.getMessage(), e);
        }
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
