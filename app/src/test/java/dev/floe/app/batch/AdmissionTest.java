package dev.floe.app.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.floe.app.FloeConfig;
import dev.floe.app.TestMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The pending-events limit: HTTP is refused at once and freed by the commit; a broker consumer waits for room. */
class AdmissionTest {

    private static Admission admission(long limit) {
        return admission(limit, Long.MAX_VALUE);
    }

    private static Admission admission(long maxEvents, long maxBytes) {
        Admission admission = new Admission();
        admission.config = (FloeConfig) Proxy.newProxyInstance(FloeConfig.class.getClassLoader(),
                new Class<?>[]{FloeConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "maxPendingEvents" -> maxEvents;
                    case "maxPendingBytes" -> maxBytes;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        admission.metrics = TestMetrics.inMemory();
        admission.init();
        return admission;
    }

    private static Exchange events(int n) {
        return events(n, 0);
    }

    private static Exchange events(int n, long bytes) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setBody(Collections.nCopies(n, "event"));
        exchange.setProperty(EventBatchAggregation.INPUT_BYTES, bytes);
        return exchange;
    }

    private static CommitTicket ticket(Exchange exchange) {
        return exchange.getProperty(CommitTicket.PROPERTY, CommitTicket.class);
    }

    @Test
    void httpIsRefusedPastTheLimitUntilACommitEnds() {
        Admission admission = admission(3);
        Exchange first = events(2);
        admission.process(first);
        assertThatThrownBy(() -> admission.process(events(2))).isInstanceOf(TooManyPendingException.class);

        ticket(first).committed().complete(1L);
        admission.process(events(3));
    }

    @Test
    void aBrokerConsumerWaitsUntilASettledMessageFreesRoom() {
        Admission admission = admission(1);
        Exchange first = events(1);
        admission.admitWaiting(first);
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> admission.admitWaiting(events(1)));

        // committed but not settled: the message is still held, so is its place
        ticket(first).committed().complete(1L);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !second.isDone());

        admission.free(ticket(first));
        await().atMost(Duration.ofSeconds(5)).until(second::isDone);
        assertThat(second).isNotCompletedExceptionally();
    }

    @Test
    void bytesCountAsWellAsEventsAcrossSources() {
        Admission admission = admission(1_000, 1_000);
        Exchange http = events(1, 600);
        admission.process(http);
        // one event, but its bytes do not fit next to the first request's
        assertThatThrownBy(() -> admission.process(events(1, 500))).isInstanceOf(TooManyPendingException.class)
                .hasMessageContaining("floe.max-pending-bytes");
        // a Kafka record waits for the same room, and gets it once the HTTP commit ends
        CompletableFuture<Reservation> kafka = CompletableFuture
                .supplyAsync(() -> admission.reservePrefix(new long[]{500}, 10_000, () -> false));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !kafka.isDone());
        ticket(http).committed().complete(1L);
        await().atMost(Duration.ofSeconds(5)).until(kafka::isDone);
        Reservation room = kafka.join();
        assertThat(room).isNotNull();

        // the record's room is held until released, once, however often it is released
        assertThatThrownBy(() -> admission.process(events(1, 600))).isInstanceOf(TooManyPendingException.class);
        room.release();
        room.release();
        admission.process(events(1, 1_000));
        assertThatThrownBy(() -> admission.process(events(1, 1))).isInstanceOf(TooManyPendingException.class);
    }

    @Test
    void aKafkaRecordGivesUpWhenAskedOrWhenNoRoomComes() {
        Admission admission = admission(1, Long.MAX_VALUE);
        admission.process(events(1));
        assertThat(admission.reservePrefix(new long[]{10}, 200, () -> false)).isNull();
        assertThat(admission.reservePrefix(new long[]{10}, 60_000, () -> true)).isNull();
    }

    @Test
    void aKafkaPollTakesRoomForTheRecordsThatFitInOrderAndPartsItAmongItsBatches() {
        Admission admission = admission(3, 1_000);
        admission.process(events(1, 100));
        // room for two more events: the first two records; none after the first that does not fit
        Reservation poll = admission.reservePrefix(new long[]{300, 400, 500, 1}, 200, () -> false);
        assertThat(poll.events()).isEqualTo(2);
        assertThatThrownBy(() -> admission.process(events(1, 1))).isInstanceOf(TooManyPendingException.class);
        Reservation batch = poll.part(1, 300);
        poll.release();
        // the part still holds its record
        assertThatThrownBy(() -> admission.process(events(2, 1))).isInstanceOf(TooManyPendingException.class);
        batch.release();
        admission.process(events(2, 1));
        assertThatThrownBy(() -> poll.part(1, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anEmptyBodyNeedsNoRoom() {
        Admission admission = admission(1);
        admission.process(events(1));
        Exchange empty = events(0);
        admission.process(empty);
        assertThat(empty.getProperty(CommitTicket.ALL, List.class)).isEmpty();
    }
}
