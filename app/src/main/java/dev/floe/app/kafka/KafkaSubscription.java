package dev.floe.app.kafka;

import java.util.Collection;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.component.kafka.consumer.support.subcription.SubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.TopicInfo;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

/**
 * Subscribes Camel's Kafka consumer (found in the registry under the name camel-kafka looks for) with a rebalance
 * listener that starts assigned partitions at the tables' watermarks: seeking inside onPartitionsAssigned happens
 * before anything is fetched for them.
 */
@ApplicationScoped
@Named("subscribeAdapter")
public class KafkaSubscription implements SubscribeAdapter {

    @Inject
    KafkaProgress progress;

    @Override
    public void subscribe(Consumer<?, ?> consumer, ConsumerRebalanceListener camel, TopicInfo topics) {
        ConsumerRebalanceListener listener = new ConsumerRebalanceListener() {

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                progress.onRevoked(consumer, partitions);
                camel.onPartitionsRevoked(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                camel.onPartitionsAssigned(partitions);
                progress.onAssigned(consumer);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                progress.onLost(partitions);
                camel.onPartitionsLost(partitions);
            }
        };
        if (topics.isPattern()) {
            consumer.subscribe(topics.getPattern(), listener);
        } else {
            consumer.subscribe(topics.getTopics(), listener);
        }
    }
}
