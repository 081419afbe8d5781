package dev.floe.app.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.jms.BytesMessage;
import jakarta.jms.Message;

import dev.floe.app.ProtobufEvents;
import dev.floe.app.Tables;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.apache.qpid.jms.message.JmsMessage;
import org.apache.qpid.jms.provider.amqp.message.AmqpJmsMessageFacade;
import org.junit.jupiter.api.Test;

/**
 * The CloudEvents Protobuf format in structured mode (AMQP content-type {@code application/cloudevents+protobuf}, the
 * event in a data section) over a real Artemis broker into Floe's AMQP route; rows read back with Iceberg's reader,
 * poison messages on the dead-letter queue with their reason.
 */
@QuarkusTest
@TestProfile(AmqpToIcebergIT.WithAmqp.class)
class AmqpProtobufIT {

    private static final String TABLE = "amqp.events";

    @Inject
    Catalog catalog;

    private List<Record> rows(String prefix) {
        return Tables.rowsWithIdPrefix(catalog, TABLE, prefix);
    }

    private static void send(List<byte[]> bodies, List<String> contentTypes) {
        ArtemisResource.broker.send(ArtemisResource.QUEUE, bodies,
                bodies.stream().map(b -> Map.<String, Object>of()).toList(), contentTypes);
    }

    @Test
    void protobufMessagesBecomeRowsWithEveryColumnAndAreSettled() {
        String p = "proto-" + UUID.randomUUID() + "-";
        String source = "/amqp/protobuf";
        send(List.of(ProtobufEvents.everyAttribute(p + "all", source).toByteArray(),
                ProtobufEvents.binaryData(p + "bin", source).toByteArray(),
                ProtobufEvents.plainText(p + "text", source).toByteArray(),
                ProtobufEvents.protoData(p + "any", source).toByteArray()),
                List.of(ProtobufEvents.MEDIA_TYPE, ProtobufEvents.MEDIA_TYPE,
                        ProtobufEvents.MEDIA_TYPE + "; charset=utf-8",
                        ProtobufEvents.MEDIA_TYPE));

        await().atMost(Duration.ofSeconds(30)).until(() -> rows(p).size() == 4);
        // settled once committed: nothing is left on the queue
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ArtemisResource.broker.messageCount(ArtemisResource.QUEUE) == 0);
        Map<String, Record> byId = new HashMap<>();
        rows(p).forEach(r -> byId.put((String) r.getField("id"), r));
        ProtobufEvents.assertEveryColumn(byId.get(p + "all"), p + "all", source);
        ProtobufEvents.assertDataBytes(byId.get(p + "bin"), byId.get(p + "text"), byId.get(p + "any"));
    }

    @Test
    void badProtobufMessagesAreDeadLetteredWithTheirReasonAndTheGoodOnesBehindThemLand() throws Exception {
        String p = "proto-poison-" + UUID.randomUUID() + "-";
        String source = "/amqp/protobuf-poison";
        byte[] garbage = ProtobufEvents.notProtobuf(p);
        byte[] invalid = ProtobufEvents.invalid(p + "invalid", source).toByteArray();
        byte[] batch = ProtobufEvents.everyAttribute(p + "batched", source).toByteArray();
        send(List.of(ProtobufEvents.everyAttribute(p + "good-1", source).toByteArray(), garbage, invalid, batch,
                ProtobufEvents.everyAttribute(p + "good-2", source).toByteArray(),
                ProtobufEvents.binaryData(p + "good-3", source).toByteArray()),
                List.of(ProtobufEvents.MEDIA_TYPE, ProtobufEvents.MEDIA_TYPE, ProtobufEvents.MEDIA_TYPE,
                        // the AMQP binding has no batched mode
                        ProtobufEvents.BATCH_MEDIA_TYPE, ProtobufEvents.MEDIA_TYPE, ProtobufEvents.MEDIA_TYPE));

        await().atMost(Duration.ofSeconds(30)).until(() -> rows(p).size() == 3);
        assertThat(rows(p)).extracting(r -> r.getField("id")).containsExactlyInAnyOrder(p + "good-1", p + "good-2",
                p + "good-3");
        ProtobufEvents.assertEveryColumn(rows(p + "good-2").get(0), p + "good-2", source);

        Map<String, Message> dead = new HashMap<>();
        Map<String, byte[]> sent = Map.of("garbage", garbage, "invalid", invalid, "batch", batch);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (Message m : ArtemisResource.broker.receive(ArtemisResource.DEAD_LETTERS, 100, 500)) {
                byte[] body = body(m);
                sent.forEach((name, bytes) -> {
                    if (Arrays.equals(bytes, body)) {
                        dead.put(name, m);
                    }
                });
            }
            return dead.size() == 3;
        });
        // each dead letter is the message as sent, with why it was refused
        assertThat(dead.get("garbage").getStringProperty("floe_error_reason")).contains("not a Protobuf CloudEvent");
        assertThat(dead.get("invalid").getStringProperty("floe_error_reason")).contains("specversion").contains("type");
        assertThat(dead.get("batch").getStringProperty("floe_error_reason")).contains("batched mode");
        for (Message letter : dead.values()) {
            assertThat(letter.getStringProperty("floe_source_queue")).contains(ArtemisResource.QUEUE);
        }
        // the content-type travels with it: sent back to the queue after a fix, it is read as Protobuf again
        assertThat(contentType(dead.get("garbage"))).isEqualTo(ProtobufEvents.MEDIA_TYPE);
        assertThat(contentType(dead.get("invalid"))).isEqualTo(ProtobufEvents.MEDIA_TYPE);
        assertThat(contentType(dead.get("batch"))).isEqualTo(ProtobufEvents.BATCH_MEDIA_TYPE);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ArtemisResource.broker.messageCount(ArtemisResource.QUEUE) == 0);
    }

    /** The AMQP content-type, which JMS does not show: Qpid JMS' AMQP view does. */
    private static String contentType(Message m) {
        Object type = ((AmqpJmsMessageFacade) ((JmsMessage) m).getFacade()).getContentType();
        return type == null ? null : type.toString();
    }

    private static byte[] body(Message m) throws Exception {
        BytesMessage bytes = (BytesMessage) m;
        byte[] body = new byte[(int) bytes.getBodyLength()];
        bytes.readBytes(body);
        return body;
    }
}
