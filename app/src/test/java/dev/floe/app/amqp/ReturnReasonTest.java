package dev.floe.app.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.qpid.jms.message.JmsMessageSupport;
import org.junit.jupiter.api.Test;

/** Only back-pressure leaves the broker's delivery count alone; every failure to process a message counts. */
class ReturnReasonTest {

    @Test
    void backPressureIsReleasedAndEveryFailureIsAFailedDelivery() {
        assertThat(ReturnReason.TOO_MANY_PENDING.ackType()).isEqualTo(JmsMessageSupport.RELEASED);
        assertThat(ReturnReason.TOO_MANY_PENDING.outcome()).isEqualTo("released");
        for (ReturnReason failure : new ReturnReason[]{ReturnReason.COMMIT_FAILED, ReturnReason.ERROR,
                ReturnReason.DEAD_LETTER_FAILED}) {
            assertThat(failure.ackType()).as(failure.label()).isEqualTo(JmsMessageSupport.MODIFIED_FAILED);
            assertThat(failure.outcome()).as(failure.label()).isEqualTo("modified-failed");
        }
    }
}
