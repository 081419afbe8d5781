package dev.floe.app.amqp;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import dev.floe.app.FloeConfig;
import dev.floe.app.batch.EventBatchAggregation;
import dev.floe.camel.iceberg.cloudevents.BinaryModeReader;
import dev.floe.camel.iceberg.cloudevents.CloudEventMessages;
import dev.floe.camel.iceberg.cloudevents.UnsupportedFormatException;
import io.cloudevents.CloudEvent;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.jms.JmsMessage;
import org.apache.camel.support.DefaultMessage;
import org.apache.qpid.jms.provider.amqp.message.AmqpJmsMessageFacade;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.UnsignedByte;
import org.apache.qpid.proton.amqp.UnsignedInteger;
import org.apache.qpid.proton.amqp.UnsignedShort;

/**
 * Reads one AMQP message as a CloudEvent, by the CloudEvents AMQP protocol binding: binary mode (application properties
 * {@code cloudEvents:*}, or {@code cloudEvents_*} as JMS clients must write them, in native AMQP types or canonical
 * strings; the AMQP content-type as datacontenttype; the body as data) or structured mode ({@code content-type:
 * application/cloudevents+json}). Only those properties and the content type are read: the allow-list.
 * <p>
 * The content type and the native property values are read from Qpid JMS' AMQP view of the message, because JMS
 * itself has no content-type and turns property names that are not Java identifiers away.
 */
@ApplicationScoped
@Named("amqpCloudEventReader")
public class AmqpCloudEventReader implements Processor {

    /** Exchange property: the message body as received. */
    public static final String BODY = "FloeAmqpBody";
    private static final String JAVA_SERIALIZED = "application/x-java-serialized-object";

    @Inject
    FloeConfig config;

    @Override
    public void process(Exchange exchange) throws Exception {
        jakarta.jms.Message jms = exchange.getIn(JmsMessage.class).getJmsMessage();
        exchange.setProperty(AmqpSettlement.ORIGINAL, jms);
        AmqpJmsMessageFacade amqp = (AmqpJmsMessageFacade) ((org.apache.qpid.jms.message.JmsMessage) jms).getFacade();
        int limit = config.amqp().maxMessageBytes();
        byte[] body = bodyBytes(jms, amqp, limit);
        exchange.setProperty(BODY, body);
        Message view = new DefaultMessage(exchange.getContext());
        Map<String, Object> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : amqp.getApplicationPropertyNames(new HashSet<>())) {
            if (name.regionMatches(true, 0, "cloudEvents", 0, 11)) {
                headers.put(name, nativeValue(amqp.getApplicationProperty(name)));
            }
        }
        Symbol contentType = amqp.getContentType();
        if (contentType != null) {
            headers.put(Exchange.CONTENT_TYPE, contentType.toString());
        }
        view.setHeaders(headers);
        view.setBody(body);
        List<CloudEvent> events = CloudEventMessages.read(view, BinaryModeReader.Binding.AMQP);
        // the events go on in a plain message: the route's next steps set headers, and on the JMS message the first
        // one would make Camel copy every JMS property into headers (a few per cent of the consumer thread, profiled)
        Message out = new DefaultMessage(exchange.getContext());
        out.setBody(events);
        exchange.setIn(out);
        exchange.setProperty(EventBatchAggregation.INPUT_BYTES, (long) body.length);
    }

    /**
     * The body, read from the JMS message itself: the route does not let Camel map it ({@code mapJmsMessage=false}),
     * because Camel would read an ObjectMessage, running Java deserialization on bytes a sender chose (and unpack a
     * DefaultExchangeHolder into headers, past the allow-list), before any step of the route could refuse it.
     */
    private static byte[] bodyBytes(jakarta.jms.Message jms, AmqpJmsMessageFacade amqp, int limit)
            throws jakarta.jms.JMSException {
        if (jms instanceof jakarta.jms.BytesMessage bytes) {
            long length = bytes.getBodyLength();
            refuseOver(limit, length);
            byte[] body = new byte[(int) length];
            bytes.readBytes(body);
            return body;
        }
        if (jms instanceof jakarta.jms.TextMessage text) {
            byte[] body = text.getText() == null ? new byte[0] : text.getText().getBytes(StandardCharsets.UTF_8);
            refuseOver(limit, body.length);
            return body;
        }
        if (jms instanceof jakarta.jms.ObjectMessage) {
            throw new UnsupportedFormatException(JAVA_SERIALIZED.equals(String.valueOf(amqp.getContentType()))
                    ? "the message body is a serialized Java object, which Floe never reads: send the event as bytes"
                            + " (a data section) or text"
                    : "the message body is an AMQP value that is neither binary nor text: send the event as bytes"
                            + " (a data section) or text");
        }
        if (jms instanceof jakarta.jms.MapMessage || jms instanceof jakarta.jms.StreamMessage) {
            throw new UnsupportedFormatException("the message body is a map or a list: send the event as bytes"
                    + " (a data section) or text");
        }
        return new byte[0];
    }

    private static void refuseOver(int limit, long length) {
        if (length > limit) {
            throw new UnsupportedFormatException(
                    "the message body has " + length + " bytes, more than floe.amqp.max-message-bytes " + limit);
        }
    }

    /** AMQP types the binding allows, as the Java types the CloudEvents reader knows. */
    private static Object nativeValue(Object value) {
        if (value instanceof Binary binary) {
            return binary.getArray().length == binary.getLength() && binary.getArrayOffset() == 0
                    ? binary.getArray()
                    : java.util.Arrays.copyOfRange(binary.getArray(), binary.getArrayOffset(),
                            binary.getArrayOffset() + binary.getLength());
        }
        if (value instanceof Symbol symbol) {
            return symbol.toString();
        }
        if (value instanceof UnsignedInteger || value instanceof UnsignedShort || value instanceof UnsignedByte) {
            return ((Number) value).longValue();
        }
        return value;
    }
}
