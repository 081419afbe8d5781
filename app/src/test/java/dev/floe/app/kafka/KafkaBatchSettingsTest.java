package dev.floe.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import dev.floe.app.FloeConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.apache.camel.component.kafka.KafkaComponent;
import org.junit.jupiter.api.Test;

/** The Kafka batch limits against the memory budget, as Floe checks them when the Kafka source is on. */
class KafkaBatchSettingsTest {

    private static FloeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withMapping(FloeConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build()
                .getConfigMapping(FloeConfig.class);
    }

    @Test
    void theDefaultsFitTheDefaultBudgetTwice() {
        FloeConfig defaults = config(Map.of("floe.kafka.enabled", "true"));
        assertThat(new KafkaClientSettings().kafka(defaults)).isInstanceOf(KafkaComponent.class);
        assertThat(2L * defaults.kafka().batch().maxEvents()).isLessThanOrEqualTo(defaults.maxPendingEvents());
        assertThat(2L * defaults.kafka().batch().maxBytes()).isLessThanOrEqualTo(defaults.maxPendingBytes());
    }

    @Test
    void aBatchOverHalfThePendingEventsIsRefusedWithBothNames() {
        FloeConfig tooLarge = config(Map.of("floe.kafka.enabled", "true", "floe.max-pending-events", "30000"));
        assertThatThrownBy(() -> new KafkaClientSettings().kafka(tooLarge))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("floe.kafka.batch.max-events (20000)")
                .hasMessageContaining("floe.max-pending-events (30000)");
    }

    @Test
    void aBatchOverHalfThePendingBytesIsRefused() {
        FloeConfig tooLarge = config(Map.of("floe.kafka.enabled", "true", "floe.kafka.batch.max-bytes", "40000000"));
        assertThatThrownBy(() -> new KafkaClientSettings().kafka(tooLarge))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("floe.max-pending-bytes");
    }

    @Test
    void aZeroWaitIsRefused() {
        FloeConfig zero = config(Map.of("floe.kafka.enabled", "true", "floe.kafka.batch.max-wait-ms", "0"));
        assertThatThrownBy(() -> new KafkaClientSettings().kafka(zero)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be positive");
    }

    @Test
    void withKafkaOffNothingIsChecked() {
        FloeConfig off = config(Map.of("floe.max-pending-events", "10"));
        assertThat(new KafkaClientSettings().kafka(off)).isInstanceOf(KafkaComponent.class);
    }
}
