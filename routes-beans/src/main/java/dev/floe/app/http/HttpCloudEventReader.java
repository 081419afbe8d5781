package dev.floe.app.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import dev.floe.app.batch.EventBatchAggregation;
import dev.floe.camel.iceberg.cloudevents.BinaryModeReader;
import dev.floe.camel.iceberg.cloudevents.CloudEventLimits;
import dev.floe.camel.iceberg.cloudevents.CloudEventMessages;
import io.cloudevents.CloudEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.StreamCache;

/**
 * The CloudEvents HTTP protocol binding (v1.0.2): binary, structured and batched modes. Replaces the body with the
 * request's events as a List of canonical CloudEvents, or throws with every violation found.
 */
@ApplicationScoped
@Named("httpCloudEventReader")
public class HttpCloudEventReader implements Processor {

    @Inject
    CloudEventLimits limits = CloudEventLimits.DEFAULTS;

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getIn();
        String method = in.getHeader(Exchange.HTTP_METHOD, "POST", String.class);
        if (!method.equals("POST")) {
            throw new MethodNotAllowedException(method);
        }
        // read the (possibly streamed) body once, and keep it readable for the parser
        byte[] body = bytes(in);
        in.setBody(body);
        List<CloudEvent> events = CloudEventMessages.read(in, BinaryModeReader.Binding.HTTP, limits);
        exchange.setProperty(EventBatchAggregation.INPUT_BYTES, body == null ? 0L : (long) body.length);
        in.setBody(events);
    }

    /**
     * The body as one array of its exact size. Camel's converter copies a stream cache (netty-http's body) through a
     * growing buffer: about three times the body's bytes, the largest allocation per event in batched mode.
     */
    static byte[] bytes(Message in) {
        if (in.getBody() instanceof StreamCache cache && cache instanceof InputStream stream) {
            try {
                cache.reset();
                long length = cache.length();
                if (length > 0 && length < Integer.MAX_VALUE) {
                    byte[] bytes = new byte[(int) length];
                    int read = stream.readNBytes(bytes, 0, bytes.length);
                    cache.reset();
                    if (read == bytes.length) {
                        return bytes;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("the request body could not be read", e);
            }
        }
        return in.getBody(byte[].class);
    }
}
