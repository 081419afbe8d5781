package dev.floe.app.amqp;

import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import dev.floe.app.CrashPoint;
import dev.floe.app.DeadLetters;
import dev.floe.app.FloeMetrics;
import dev.floe.app.batch.Admission;
import dev.floe.app.batch.CommitTicket;
import dev.floe.app.batch.TooManyPendingException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;
import org.apache.qpid.jms.message.JmsMessageSupport;
import org.apache.qpid.jms.provider.amqp.message.AmqpJmsMessageFacade;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles AMQP messages: accepted once the commit that holds the message's event has succeeded; handed back to the
 * broker otherwise, as a failed delivery when Floe failed to process it (its delivery count rises, toward the broker's
 * max-delivery-attempts and dead-letter address) and released when Floe holds too many events ({@link ReturnReason}).
 * A message that is not a valid CloudEvent is accepted after its dead letter is on the dead-letter queue.
 * <p>
 * The settlements run on a thread of their own: each one is a synchronous hand-off to Qpid JMS' connection thread, which
 * the consumer threads also wait on for every message they receive, and settling thousands of messages on the commit
 * thread held the next commit back (with two consumer threads, commits stalled for seconds). A message whose
 * settlement never reaches the broker (Floe crashed, the connection dropped) is delivered again, and the dedup window
 * drops its event if the table already holds it. That is also what happens to the last batch on a graceful stop: Camel's
 * JMS consumer closes its connection before the aggregator commits what it holds, so those messages come back once
 * and are dropped.
 */
@ApplicationScoped
@Named("amqpSettlement")
public class AmqpSettlement {

    public static final String SOURCE_QUEUE = "floe_source_queue";
    private static final Logger LOG = LoggerFactory.getLogger(AmqpSettlement.class);

    /** Exchange property: the JMS message as received, set by {@link AmqpCloudEventReader}. */
    public static final String ORIGINAL = "FloeAmqpOriginal";
    // exchange property: afterCommit has taken the message in hand
    private static final String SETTLING = "FloeAmqpSettling";

    @Inject
    FloeMetrics metrics;
    @Inject
    Admission admission;

    private final ExecutorService settler = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "floe-amqp-settlement");
        thread.setDaemon(true);
        return thread;
    });

    // once the settlement thread is gone (the application stops), on the thread that completed the commit
    private final Executor settlements = task -> {
        try {
            settler.execute(task);
        } catch (RejectedExecutionException stopped) {
            task.run();
        }
    };

    @PreDestroy
    void stop() {
        settler.shutdown();
    }

    /**
     * After admission ({@link Admission#admitWaiting}): settle the message when every table holding its events has
     * committed, then free its place among the pending events.
     */
    @SuppressWarnings("unchecked")
    public void afterCommit(Exchange exchange) {
        jakarta.jms.Message message = exchange.getProperty(ORIGINAL, jakarta.jms.Message.class);
        List<CommitTicket> tickets = exchange.getProperty(CommitTicket.ALL, List.class);
        String route = exchange.getFromRouteId();
        exchange.setProperty(SETTLING, true);
        CompletableFuture.allOf(tickets.stream().map(CommitTicket::committed).toArray(CompletableFuture[]::new))
                .whenCompleteAsync((done, failure) -> {
                    try {
                        if (failure == null) {
                            CrashPoint.afterTableCommit();
                            settle(message, JmsMessageSupport.ACCEPTED);
                            metrics.accepted(route, tickets.stream().mapToInt(CommitTicket::events).sum());
                        } else {
                            handBack(message, ReturnReason.COMMIT_FAILED);
                        }
                    } finally {
                        tickets.forEach(admission::free);
                    }
                }, settlements);
    }

    /** The message could not be taken: too many events pending (released), or an error (a failed delivery). */
    @SuppressWarnings("unchecked")
    public void notTaken(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        List<CommitTicket> tickets = exchange.getProperty(CommitTicket.ALL, List.class);
        if (tickets != null && exchange.getProperty(SETTLING, false, Boolean.class)) {
            // afterCommit's callback owns the message and its place among the pending events: it gives back both
            Throwable reason = cause != null ? cause : new IllegalStateException("the message was not processed");
            tickets.forEach(t -> t.committed().completeExceptionally(reason));
            return;
        }
        if (tickets != null) {
            tickets.forEach(admission::free);
        }
        handBack(exchange.getProperty(ORIGINAL, jakarta.jms.Message.class),
                cause instanceof TooManyPendingException ? ReturnReason.TOO_MANY_PENDING : ReturnReason.ERROR);
    }

    /** The message's dead letter could not be sent: a failed delivery, the broker delivers the message again. */
    public void deadLetterFailed(Exchange exchange) {
        handBack(exchange.getProperty(ORIGINAL, jakarta.jms.Message.class), ReturnReason.DEAD_LETTER_FAILED);
    }

    /** After its dead letter is on the dead-letter queue. */
    public void accept(Exchange exchange) {
        settle(exchange.getProperty(ORIGINAL, jakarta.jms.Message.class), JmsMessageSupport.ACCEPTED);
    }

    /**
     * Turns a message Floe cannot take into its dead letter: the original body and its CloudEvents application
     * properties ({@code cloudEvents:*}, {@code cloudEvents_*}), plus floe_error_reason, floe_error_type and
     * floe_source_queue. No other property is copied: Camel's JMS producer obeys some (CamelJmsDestinationName sends
     * the message elsewhere), and a sender must never steer where Floe writes.
     */
    public void deadLetter(Exchange exchange) throws Exception {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        jakarta.jms.Message original = exchange.getProperty(ORIGINAL, jakarta.jms.Message.class);
        AmqpJmsMessageFacade amqp = (AmqpJmsMessageFacade) ((org.apache.qpid.jms.message.JmsMessage) original)
                .getFacade();
        // a new message: the producer must not send the received JMS message itself
        Message out = new DefaultMessage(exchange.getContext());
        exchange.setIn(out);
        for (String name : amqp.getApplicationPropertyNames(new HashSet<>())) {
            Object value = amqp.getApplicationProperty(name);
            if (!name.regionMatches(true, 0, "cloudEvents", 0, 11)) {
                continue;
            }
            if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                out.setHeader(name, value);
            }
        }
        DeadLetters.describe(out, cause);
        String queue = queue(original);
        out.setHeader(SOURCE_QUEUE, queue);
        out.setBody(exchange.getProperty(AmqpCloudEventReader.BODY, byte[].class));
        LOG.warn("Message {} goes to the dead-letter queue: {}", original.getJMSMessageID(),
                out.getHeader(DeadLetters.REASON));
        metrics.deadLettered("amqp:" + queue, DeadLetters.type(cause));
    }

    private void handBack(jakarta.jms.Message message, ReturnReason reason) {
        settle(message, reason.ackType());
        metrics.amqpReturned(queue(message), reason.label(), reason.outcome());
    }

    private static String queue(jakarta.jms.Message message) {
        try {
            return message == null || message.getJMSDestination() == null
                    ? ""
                    : message.getJMSDestination().toString();
        } catch (jakarta.jms.JMSException e) {
            return "";
        }
    }

    // Qpid JMS: the int property JMS_AMQP_ACK_TYPE, set before acknowledge(), chooses the AMQP outcome
    private static void settle(jakarta.jms.Message message, int disposition) {
        try {
            message.setIntProperty(JmsMessageSupport.JMS_AMQP_ACK_TYPE, disposition);
            message.acknowledge();
        } catch (Exception e) {
            // the session is gone (a reconnect, a shutdown): the broker delivers the message again
            LOG.debug("Could not settle message: {}", e.toString());
        }
    }
}
