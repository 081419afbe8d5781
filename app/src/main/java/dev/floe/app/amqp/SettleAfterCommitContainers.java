package dev.floe.app.amqp;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import jakarta.jms.Session;

import org.apache.camel.component.jms.DefaultJmsMessageListenerContainer;
import org.apache.camel.component.jms.JmsEndpoint;
import org.apache.camel.component.jms.MessageListenerContainerFactory;
import org.springframework.jms.listener.AbstractMessageListenerContainer;

/**
 * Camel's usual listener container, except that it leaves acknowledgement alone. Spring treats any vendor session mode
 * (Qpid's individual acknowledge included) as client acknowledge, and would acknowledge each message as soon as the
 * route hands it to the aggregator, or recover the session on an error; {@link AmqpSettlement} settles each message
 * after its commit instead.
 */
@ApplicationScoped
@Named("settleAfterCommit")
public class SettleAfterCommitContainers implements MessageListenerContainerFactory {

    @Override
    public AbstractMessageListenerContainer createMessageListenerContainer(JmsEndpoint endpoint) {
        return new DefaultJmsMessageListenerContainer(endpoint) {

            @Override
            protected boolean isClientAcknowledge(Session session) {
                return false;
            }
        };
    }
}
