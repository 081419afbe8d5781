package dev.floe.camel.iceberg.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.cloudevents.CloudEvent;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.DataType;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

/** Camel finds the data type by its name (as a Kamelet's transform toType does), the new one and the deprecated one. */
class DataTypeNamesTest extends CamelTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {

            @Override
            public void configure() {
                from("direct:current").transform(new DataType("iceberg:application-cloudevents"));
                from("direct:deprecated").transform(new DataType("iceberg:cloudevents"));
            }
        };
    }

    private static final Map<String, Object> HEADERS = Map.of("ce-specversion", "1.0", "ce-id", "a%20b", "ce-source",
            "/s", "ce-type", "t", "Content-Type", "application/json");

    @Test
    void theApplicationCloudEventsNameReadsBinaryModeEvents() {
        Object body = template.requestBodyAndHeaders("direct:current", "{}", HEADERS);
        assertThat(body).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).singleElement()
                .isInstanceOfSatisfying(CloudEvent.class, e -> assertThat(e.getId()).isEqualTo("a b"));
    }

    @Test
    void theDeprecatedNameStillWorks() {
        Object body = template.requestBodyAndHeaders("direct:deprecated", "{}", HEADERS);
        assertThat((List<?>) body).singleElement().isInstanceOf(CloudEvent.class);
    }
}
