package dev.floe.app.kafka;

/** A record whose value is larger than floe.kafka.max-record-bytes: dead-lettered unread. */
public class OversizedRecordException extends RuntimeException {

    public OversizedRecordException(String message) {
        super(message);
    }
}
