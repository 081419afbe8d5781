package dev.floe.app.kafka;

import dev.floe.camel.iceberg.SourcedEvent;
import org.apache.camel.Message;

/**
 * One record of a poll on its way through the route: where it is, the message Camel made of it (headers and value as
 * received), then the event read from it and its table, or why it goes to the dead-letter topic instead.
 */
public final class PolledRecord {

    private final SourcePosition at;
    private final Message message;
    private final byte[] value;
    private SourcedEvent event;
    private String table;
    private RuntimeException rejection;
    private boolean deadLettered;

    PolledRecord(SourcePosition at, Message message, byte[] value) {
        this.at = at;
        this.message = message;
        this.value = value;
    }

    public SourcePosition at() {
        return at;
    }

    public Message message() {
        return message;
    }

    /** The record's value as received, or null. */
    public byte[] value() {
        return value;
    }

    long size() {
        return value == null ? 0 : value.length;
    }

    SourcedEvent event() {
        return event;
    }

    void event(SourcedEvent read) {
        this.event = read;
    }

    String table() {
        return table;
    }

    void table(String routed) {
        this.table = routed;
    }

    /** Why the record goes to the dead-letter topic; null while it is on its way to a table. */
    public RuntimeException rejection() {
        return rejection;
    }

    void reject(RuntimeException why) {
        this.rejection = why;
        this.event = null;
    }

    /** Its dead letter is on the dead-letter topic. */
    void deadLettered() {
        deadLettered = true;
    }

    /** Whether the record may count as absorbed: on its way to a table, or its dead letter sent. */
    boolean isAbsorbable() {
        return rejection == null || deadLettered;
    }
}
