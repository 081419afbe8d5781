package dev.floe.camel.iceberg.cloudevents;

/**
 * The message is in a format Floe does not read (an event format other than JSON and Protobuf, or no CloudEvent at all).
 */
public class UnsupportedFormatException extends RuntimeException {

    public UnsupportedFormatException(String message) {
        super(message);
    }
}
