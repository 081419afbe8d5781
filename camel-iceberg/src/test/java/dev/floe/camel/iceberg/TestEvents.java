package dev.floe.camel.iceberg;

import java.net.URI;
import java.util.List;
import java.util.stream.IntStream;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

/** Numbered events, for the tests that lose or fail commits. */
final class TestEvents {

    private TestEvents() {
    }

    /** Events {@code prefix-0} … {@code prefix-(count-1)} from {@code source}. */
    static List<CloudEvent> numbered(String prefix, int count, String source) {
        return IntStream.range(0, count).mapToObj(i -> CloudEventBuilder.v1().withId(prefix + "-" + i)
                .withSource(URI.create(source)).withType("dev.floe.test").build()).map(CloudEvent.class::cast)
                .toList();
    }
}
