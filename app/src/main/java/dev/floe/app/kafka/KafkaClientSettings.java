package dev.floe.app.kafka;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;

import dev.floe.app.FloeConfig;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;

/**
 * The kafka component, configured from floe.kafka.*: brokers, and every floe.kafka.properties entry passed to the
 * consumer and the dead-letter producer unchanged (security.protocol, sasl.jaas.config, ssl.*, ...).
 */
@ApplicationScoped
public class KafkaClientSettings {

    @Produces
    @ApplicationScoped
    @Named("kafka")
    KafkaComponent kafka(FloeConfig config) {
        if (config.kafka().enabled()) {
            checkBatchFitsTheBudget(config);
        }
        KafkaConfiguration settings = new KafkaConfiguration();
        settings.setBrokers(config.kafka().bootstrapServers());
        Map<String, Object> passThrough = new HashMap<>(config.kafka().properties());
        settings.setAdditionalProperties(passThrough);
        KafkaComponent kafka = new KafkaComponent();
        kafka.setConfiguration(settings);
        return kafka;
    }

    /**
     * A batch larger than half the memory budget would wait for room that only its own commit frees: the consumer would
     * stall for floe.kafka.batch.max-wait-ms at every batch, or pause and replay. Refused at start instead.
     */
    static void checkBatchFitsTheBudget(FloeConfig config) {
        FloeConfig.KafkaBatch batch = config.kafka().batch();
        if (batch.maxEvents() < 1 || batch.maxBytes() < 1 || batch.maxWaitMs() < 1) {
            throw new IllegalArgumentException(
                    "floe.kafka.batch.max-events, max-bytes and max-wait-ms must be positive");
        }
        if (2L * batch.maxEvents() > config.maxPendingEvents()) {
            throw new IllegalArgumentException("floe.kafka.batch.max-events (" + batch.maxEvents()
                    + ") must be at most half of floe.max-pending-events (" + config.maxPendingEvents()
                    + "): one batch commits while the next fills");
        }
        if (2L * batch.maxBytes() > config.maxPendingBytes()) {
            throw new IllegalArgumentException("floe.kafka.batch.max-bytes (" + batch.maxBytes()
                    + ") must be at most half of floe.max-pending-bytes (" + config.maxPendingBytes()
                    + "): one batch commits while the next fills");
        }
    }
}
