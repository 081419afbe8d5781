package dev.floe.app.kafka;

import java.util.ArrayList;
import java.util.List;

import dev.floe.app.batch.Reservation;

/**
 * The body of a poll's exchange: its current records that got room in the memory budget, in the order Kafka returned
 * them, in the generation they were read in; after routing, the records set aside for the dead-letter topic and one
 * {@link KafkaTablePart} per table.
 */
public final class KafkaPoll {

    private final Generation generation;
    private final List<PolledRecord> records;
    private final Reservation room;
    private final List<KafkaTablePart> tables = new ArrayList<>();

    KafkaPoll(Generation generation, List<PolledRecord> records, Reservation room) {
        this.generation = generation;
        this.records = records;
        this.room = room;
    }

    Generation generation() {
        return generation;
    }

    List<PolledRecord> records() {
        return records;
    }

    /** The poll's room in the memory budget; null for an empty poll. */
    Reservation room() {
        return room;
    }

    /** The records that go to the dead-letter topic, with the reason. */
    public List<PolledRecord> rejected() {
        return records.stream().filter(r -> r.rejection() != null).toList();
    }

    List<KafkaTablePart> tables() {
        return tables;
    }

    /** The poll's exchange ended: the room no batch took is free. */
    void release() {
        if (room != null) {
            room.release();
        }
        for (KafkaTablePart part : tables) {
            if (!part.room().isBatched()) {
                part.room().release();
            }
        }
    }
}
