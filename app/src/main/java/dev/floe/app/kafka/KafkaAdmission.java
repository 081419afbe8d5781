package dev.floe.app.kafka;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import dev.floe.app.batch.Admission;
import dev.floe.app.batch.Reservation;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first step for a poll (a List of Camel's record exchanges), before any record is read: drops the records fetched
 * before their partition's last seek ({@link PollStamps}) or of partitions no longer assigned, then takes room in the memory budget for the records' bytes,
 * in order, waiting while it is full (the consumer fetches nothing meanwhile). The records that do not fit are cut:
 * their partitions are sought back to the first of them, so the next polls fetch them again. The body becomes a
 * {@link KafkaPoll}.
 */
@ApplicationScoped
@Named("kafkaAdmission")
public class KafkaAdmission implements Processor {

    // a longer wait would cost the consumer its group membership: past it the poll is cut and fetched again
    private static final long BACKPRESSURE_MAX_WAIT_MS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(KafkaAdmission.class);

    @Inject
    KafkaProgress progress;
    @Inject
    PollStamps stamps;
    @Inject
    Admission admission;

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) {
        List<Exchange> polled = exchange.getIn().getBody(List.class);
        Generation generation = progress.generation();
        if (progress.rewindPending()) {
            // the rewind will seek every partition: whatever was fetched until now is read again after it
            polled = List.of();
        }
        List<PolledRecord> current = new ArrayList<>(polled.size());
        for (Exchange record : polled) {
            Message message = record.getIn();
            TopicPartition tp = new TopicPartition(message.getHeader(KafkaConstants.TOPIC, String.class),
                    message.getHeader(KafkaConstants.PARTITION, Integer.class));
            if (stamps.isCurrent(tp, message.getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class))
                    && generation.assigned.contains(tp)) {
                SourcePosition at = new SourcePosition(tp, message.getHeader(KafkaConstants.OFFSET, Long.class),
                        message.getHeader(KafkaConstants.KEY, byte[].class));
                current.add(new PolledRecord(at, message, message.getBody(byte[].class)));
            }
        }
        if (current.size() < polled.size()) {
            LOG.debug("{} records fetched before a seek of their partition are dropped",
                    polled.size() - current.size());
        }
        Reservation room = null;
        if (!current.isEmpty()) {
            long[] sizes = current.stream().mapToLong(PolledRecord::size).toArray();
            room = admission.reservePrefix(sizes, BACKPRESSURE_MAX_WAIT_MS, progress::rewindPending);
            int admitted = room == null ? 0 : (int) room.events();
            if (admitted < current.size()) {
                LOG.debug("The memory budget is full: {} of {} records are fetched again", current.size() - admitted,
                        current.size());
                try {
                    progress.cut(current.subList(admitted, current.size()));
                } catch (RuntimeException e) {
                    if (room != null) {
                        room.release();
                    }
                    throw e;
                }
                current = new ArrayList<>(current.subList(0, admitted));
            }
        }
        KafkaPoll poll = new KafkaPoll(generation, current, room);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {

            @Override
            public void onDone(Exchange done) {
                poll.release();
            }
        });
        exchange.getIn().setBody(poll);
    }
}
