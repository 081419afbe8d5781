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
        KafkaConfiguration settings = new KafkaConfiguration();
        settings.setBrokers(config.kafka().bootstrapServers());
        Map<String, Object> passThrough = new HashMap<>(config.kafka().properties());
        settings.setAdditionalProperties(passThrough);
        KafkaComponent kafka = new KafkaComponent();
        kafka.setConfiguration(settings);
        return kafka;
    }
}
