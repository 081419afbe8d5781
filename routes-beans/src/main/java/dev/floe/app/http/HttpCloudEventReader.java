package dev.floe.app.http;

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
        byte[] body = in.getBody(byte[].class);
        in.setBody(body);
        List<CloudEvent> events = CloudEventMessages.read(in, BinaryModeReader.Binding.HTTP, limits);
        exchange.setProperty(EventBatchAggregation.INPUT_BYTES, body == null ? 0L : (long) body.length);
        in.setBody(events);
    }
}
