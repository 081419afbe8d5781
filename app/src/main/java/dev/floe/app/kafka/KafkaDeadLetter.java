package dev.floe.app.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import dev.floe.app.DeadLetters;
import dev.floe.app.FloeMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a record Floe cannot take into its dead letter: the original value and key, the record's CloudEvents headers
 * ({@code ce_*} and {@code content-type}), plus {@code floe_*} headers with the reason and the record's topic, partition
 * and offset. No other header of the record is copied: Camel's Kafka producer obeys headers such as
 * {@code kafka.OVERRIDE_TOPIC} and {@code kafka.KEY}, and a sender must never steer where Floe writes. The route then
 * sends it to the dead-letter topic before the poll counts as absorbed, so it never blocks its partition. A dead
 * letter the topic refuses for good (too large) goes again without its value ({@link #stripped}).
 */
@ApplicationScoped
@Named("kafkaDeadLetter")
public class KafkaDeadLetter {

    public static final String SOURCE_TOPIC = "floe_source_topic";
    public static final String SOURCE_PARTITION = "floe_source_partition";
    public static final String SOURCE_OFFSET = "floe_source_offset";
    public static final String ORIGINAL_SIZE = "floe_original_size";
    public static final String STRIPPED = "floe_dead_letter_stripped";
    /** Exchange property: the record's value as received. */
    static final String VALUE = "FloeKafkaValue";
    private static final String RECORD = "FloeKafkaRecord";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaDeadLetter.class);

    @Inject
    KafkaProgress progress;
    @Inject
    FloeMetrics metrics;

    /** The body, a {@link PolledRecord} set aside, becomes its dead letter. */
    public void prepare(Exchange exchange) {
        PolledRecord record = exchange.getIn().getBody(PolledRecord.class);
        Throwable cause = record.rejection();
        SourcePosition at = record.at();
        exchange.setProperty(RECORD, record);
        exchange.setProperty(SourcePosition.PROPERTY, at);
        exchange.setProperty(VALUE, record.value());
        Message message = exchange.getIn();
        Headers original = record.message().getHeader(KafkaConstants.HEADERS, Headers.class);
        message.removeHeaders("*");
        if (original != null) {
            for (Header header : original) {
                if (isCloudEventsHeader(header.key())) {
                    message.setHeader(header.key(), header.value());
                }
            }
        }
        DeadLetters.describe(message, cause);
        message.setHeader(SOURCE_TOPIC, at.tp().topic());
        message.setHeader(SOURCE_PARTITION, String.valueOf(at.tp().partition()));
        message.setHeader(SOURCE_OFFSET, String.valueOf(at.offset()));
        if (at.key() != null) {
            message.setHeader(KafkaConstants.KEY, at.key());
        }
        byte[] value = exchange.getProperty(VALUE, byte[].class);
        // a value over the limit would not fit the dead-letter topic either (and would block the partition): its size
        // goes instead
        if (cause instanceof OversizedRecordException && value != null) {
            message.setHeader(ORIGINAL_SIZE, String.valueOf(value.length));
            value = null;
        }
        message.setBody(value);
        LOG.warn("Record {}@{} goes to the dead-letter topic: {}", at.tp(), at.offset(),
                message.getHeader(DeadLetters.REASON));
        metrics.deadLettered("kafka:" + at.tp().topic(), DeadLetters.type(cause));
    }

    /**
     * The dead-letter topic refused the dead letter for good (larger than its {@code max.message.bytes} or the
     * producer's {@code max.request.size}): it goes again with only the {@code floe_*} headers, no key and no value,
     * and the value's size, so the record is still accounted for and never blocks its partition. Its topic, partition
     * and offset say where to read it while the source topic retains it.
     */
    public void stripped(Exchange exchange) {
        Throwable refusal = exchange.getException() != null
                ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Message message = exchange.getIn();
        message.removeHeaders("*", "floe_*");
        byte[] value = exchange.getProperty(VALUE, byte[].class);
        if (value != null) {
            message.setHeader(ORIGINAL_SIZE, String.valueOf(value.length));
        }
        message.setHeader(STRIPPED, "the dead letter was refused as too large: "
                + (refusal == null ? "unknown" : refusal.getMessage()));
        message.setBody(null);
        LOG.warn("The dead letter of {} was too large for the dead-letter topic; it goes without its value",
                message.getHeader(SOURCE_TOPIC) + "-" + message.getHeader(SOURCE_PARTITION) + "@"
                        + message.getHeader(SOURCE_OFFSET));
    }

    // the Kafka protocol binding's headers: what a dead letter keeps of the record
    private static boolean isCloudEventsHeader(String key) {
        return key.regionMatches(true, 0, "ce_", 0, 3) || key.equalsIgnoreCase("content-type");
    }

    /** The dead letter is on its topic. */
    public void sent(Exchange exchange) {
        exchange.getProperty(RECORD, PolledRecord.class).deadLettered();
    }

    /** A failure that is not the record's fault (the catalog is down): pause and replay from the tables. */
    public void rewind(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        progress.requestRewind(cause == null ? "unknown failure" : cause.getMessage());
    }
}
