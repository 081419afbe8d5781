package dev.floe.camel.iceberg.cloudevents;

import org.apache.camel.spi.DataTypeTransformer;

/**
 * The data type's first name, {@code iceberg:cloudevents}, kept so that routes written for it go on working.
 *
 * @deprecated use {@code iceberg:application-cloudevents}
 */
@Deprecated
@DataTypeTransformer(name = "iceberg:cloudevents", description = "Deprecated: the former name of iceberg:application-cloudevents")
public class LegacyCloudEventsDataTypeTransformer extends CloudEventsDataTypeTransformer {
}
