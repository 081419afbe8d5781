package dev.floe.app.kafka;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import dev.floe.app.batch.EventBatchAggregation;
import dev.floe.camel.iceberg.IcebergConstants;
import dev.floe.camel.iceberg.SourceOffsets;
import dev.floe.app.batch.Reservation;
import org.apache.camel.Exchange;

/**
 * Batches Kafka records per table like {@link EventBatchAggregation}, and gives each batch the offsets it claims
 * (committed compare-and-set with its rows). A record counts as absorbed in {@code aggregate}, under the aggregator's
 * lock; the claim is made in {@code onCompletion}, which the aggregator calls under that lock when the interval closes
 * a batch, and right after the lock on the one polling thread when the size does, before that thread reads another
 * record. Either way a claim covers exactly the records absorbed before it. (This needs the single consumer thread
 * the route configures.)
 */
@ApplicationScoped
@Named("kafkaBatches")
public class KafkaBatches extends EventBatchAggregation {

    private static final String RECORDS = "FloeKafkaRecords";
    // the records' room in the memory budget, freed when the batch settles
    private static final String ROOMS = "FloeKafkaRooms";

    @Inject
    KafkaProgress progress;

    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange batch, Exchange incoming) {
        Exchange merged = super.aggregate(batch, incoming);
        Generation generation = incoming.getProperty(KafkaProgress.GENERATION, Generation.class);
        SourcePosition at = incoming.getProperty(SourcePosition.PROPERTY, SourcePosition.class);
        List<SourcePosition> records = merged.getProperty(RECORDS, List.class);
        if (records == null) {
            records = new ArrayList<>();
            merged.setProperty(RECORDS, records);
        }
        records.add(at);
        Reservation room = incoming.getProperty(Reservation.class.getName(), Reservation.class);
        if (room != null) {
            room.batched();
            List<Reservation> rooms = merged.getProperty(ROOMS, List.class);
            if (rooms == null) {
                rooms = new ArrayList<>();
                merged.setProperty(ROOMS, rooms);
            }
            rooms.add(room);
        }
        progress.added(generation, at);
        return merged;
    }

    @Override
    public void onCompletion(Exchange batch) {
        Generation generation = batch.getProperty(KafkaProgress.GENERATION, Generation.class);
        String table = batch.getIn().getHeader(IcebergConstants.TABLE, String.class);
        batch.getIn().setHeader(IcebergConstants.SOURCE_OFFSETS, progress.claim(generation, table));
        super.onCompletion(batch);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void settled(Exchange batch, Throwable failure) {
        List<Reservation> rooms = batch.getProperty(ROOMS, List.class);
        if (rooms != null) {
            rooms.forEach(Reservation::release);
        }
        progress.settled(batch.getProperty(KafkaProgress.GENERATION, Generation.class),
                batch.getProperty(RECORDS, List.class),
                batch.getIn().getHeader(IcebergConstants.SOURCE_OFFSETS, SourceOffsets.class), failure);
    }
}
