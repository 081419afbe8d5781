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
        Admission admission = new Admission();
        admission.config = (FloeConfig) Proxy.newProxyInstance(FloeConfig.class.getClassLoader(),
                new Class<?>[]{FloeConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("maxPendingEvents")) {
                        return limit;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        admission.metrics = TestMetrics.inMemory();
        return admission;
    }

    private static Exchange events(int n) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setBody(Collections.nCopies(n, "event"));
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
    void anEmptyBodyNeedsNoRoom() {
        Admission admission = admission(1);
        admission.process(events(1));
        Exchange empty = events(0);
        admission.process(empty);
        assertThat(empty.getProperty(CommitTicket.ALL, List.class)).isEmpty();
    }
}
