package dev.floe.app.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import dev.floe.app.batch.EventBatchAggregation;
import dev.floe.app.batch.Reservation;
import dev.floe.camel.iceberg.IcebergConstants;
import dev.floe.camel.iceberg.IcebergEndpoint;
import dev.floe.camel.iceberg.SourceOffsets;
import dev.floe.camel.iceberg.StagedBatch;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches the {@link KafkaTablePart}s of one table and generation, poll after poll, and gives each batch the offsets
 * it claims (committed compare-and-set with its rows): what was absorbed when its last part was handed to it. The
 * claim is made in {@code onCompletion}, under the aggregator's lock, whether size or time closes the batch. The route
 * acknowledges a committed batch ({@link #acknowledge}); a batch that failed is settled here.
 */
@ApplicationScoped
@Named("kafkaBatches")
public class KafkaBatches extends EventBatchAggregation {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBatches.class);
    private static final String RECORDS = "FloeKafkaRecords";
    // the parts' room in the memory budget, freed when the batch settles
    private static final String ROOMS = "FloeKafkaRooms";
    private static final String ABSORBED = "FloeKafkaAbsorbed";
    private static final String ACKNOWLEDGED = "FloeKafkaAcknowledged";

    @Inject
    KafkaProgress progress;

    private volatile boolean warnedUnacknowledged;

    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange batch, Exchange incoming) {
        KafkaTablePart part = incoming.getIn().getBody(KafkaTablePart.class);
        part.room().batched();
        if (batch == null) {
            // the aggregator hands us a copy: make it a batch that carries only what the commit needs
            batch = incoming;
            Message in = batch.getIn();
            in.removeHeaders("*");
            in.setHeader(IcebergConstants.TABLE, part.table());
            in.setHeader(ENDPOINT, part.endpointUri());
            // the lane writes each poll's rows into the batch's files as they come, so the batch holds Parquet pages
            // rather than parsed events until its commit (README "Kafka")
            in.setBody(batch.getContext().getEndpoint(part.endpointUri(), IcebergEndpoint.class)
                    .openBatch(part.table()));
            batch.removeProperty(Reservation.class.getName());
            batch.setProperty(EVENTS, 0);
            batch.setProperty(BYTES, 0L);
            batch.setProperty(KafkaProgress.GENERATION, part.generation());
            batch.setProperty(RECORDS, new ArrayList<SourcePosition>());
            batch.setProperty(ROOMS, new ArrayList<Reservation>());
        }
        batch.getIn().getBody(StagedBatch.class).add(part.events());
        batch.getProperty(RECORDS, List.class).addAll(part.records());
        batch.getProperty(ROOMS, List.class).add(part.room());
        batch.setProperty(ABSORBED, part.absorbed());
        batch.setProperty(EVENTS, batch.getProperty(EVENTS, Integer.class) + part.events().size());
        batch.setProperty(BYTES, batch.getProperty(BYTES, Long.class) + part.bytes());
        return batch;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void onCompletion(Exchange batch) {
        Generation generation = batch.getProperty(KafkaProgress.GENERATION, Generation.class);
        String table = batch.getIn().getHeader(IcebergConstants.TABLE, String.class);
        batch.getIn().setHeader(IcebergConstants.SOURCE_OFFSETS,
                progress.claim(generation, table, batch.getProperty(ABSORBED, Map.class)));
        super.onCompletion(batch);
    }

    /**
     * The batch committed: its records are acknowledged (Kafka's offsets may move past them) and their room in the
     * memory budget is freed.
     */
    @SuppressWarnings("unchecked")
    public void acknowledge(Exchange batch) {
        int events = batch.getProperty(EVENTS, 0, Integer.class);
        Long written = batch.getMessage().getHeader(IcebergConstants.RECORD_COUNT, Long.class);
        if (written == null || written != events) {
            throw new IllegalStateException("the commit reported " + written + " rows for " + events + " records");
        }
        batch.setProperty(ACKNOWLEDGED, true);
        release(batch);
        progress.settled(batch.getProperty(KafkaProgress.GENERATION, Generation.class),
                batch.getProperty(RECORDS, List.class),
                batch.getMessage().getHeader(IcebergConstants.SOURCE_OFFSETS, SourceOffsets.class), null);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void settled(Exchange batch, Throwable failure) {
        if (batch.getIn().getBody() instanceof StagedBatch staged) {
            staged.close();
        }
        if (batch.getProperty(ACKNOWLEDGED, false, Boolean.class)) {
            return;
        }
        release(batch);
        if (failure == null) {
            if (!warnedUnacknowledged) {
                warnedUnacknowledged = true;
                LOG.warn("A Kafka batch committed but the route did not acknowledge it (the step after the commit): "
                        + "Kafka's committed offsets stay behind the tables");
            }
            return;
        }
        progress.settled(batch.getProperty(KafkaProgress.GENERATION, Generation.class),
                batch.getProperty(RECORDS, List.class),
                batch.getIn().getHeader(IcebergConstants.SOURCE_OFFSETS, SourceOffsets.class), failure);
    }

    @SuppressWarnings("unchecked")
    private static void release(Exchange batch) {
        List<Reservation> rooms = batch.getProperty(ROOMS, List.class);
        if (rooms != null) {
            rooms.forEach(Reservation::release);
        }
    }
}
