package dev.floe.app.amqp;

import org.apache.qpid.jms.message.JmsMessageSupport;

/**
 * Why Floe hands an AMQP message back to the broker, and so how it settles it.
 * <p>
 * A message Floe failed to process counts as a failed delivery (the AMQP modified outcome with delivery-failed): the
 * broker raises its delivery count, so its max-delivery-attempts and dead-letter address end a message that keeps
 * failing instead of delivering it again forever (a released delivery is not counted). Back-pressure is released:
 * Floe being full is no fault of the message, and must never bring a healthy message closer to the dead-letter address.
 */
enum ReturnReason {

    /** The commit that held the message's event failed. */
    COMMIT_FAILED("commit-failed", true),
    /** An error while handling the message, before it reached a batch. */
    ERROR("error", true),
    /** The message is not a CloudEvent and its dead letter could not be sent. */
    DEAD_LETTER_FAILED("dead-letter-failed", true),
    /** floe.max-pending-events events already waited for their commit (back-pressure). */
    TOO_MANY_PENDING("too-many-pending", false);

    private final String label;
    private final boolean deliveryFailed;

    ReturnReason(String label, boolean deliveryFailed) {
        this.label = label;
        this.deliveryFailed = deliveryFailed;
    }

    /** The metric's reason label. */
    String label() {
        return label;
    }

    /** The JMS_AMQP_ACK_TYPE to settle with. */
    int ackType() {
        return deliveryFailed ? JmsMessageSupport.MODIFIED_FAILED : JmsMessageSupport.RELEASED;
    }

    /** The metric's outcome label: modified-failed (counted by the broker) or released (not counted). */
    String outcome() {
        return deliveryFailed ? "modified-failed" : "released";
    }
}
