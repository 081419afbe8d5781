package dev.floe.app.amqp;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import jakarta.jms.Message;
import jakarta.jms.Session;

import org.apache.camel.Exchange;
import org.apache.camel.component.jms.MessageCreatedStrategy;
import org.apache.qpid.jms.message.JmsMessage;
import org.apache.qpid.jms.provider.amqp.message.AmqpJmsMessageFacade;

/**
 * Gives a dead letter the AMQP content-type of the message it stands for. It says what the body is: in structured
 * mode the event format ({@code application/cloudevents+json}, {@code application/cloudevents+protobuf}), in binary
 * mode the event's datacontenttype; without it a dead letter sent back to the queue after a fix is no CloudEvent. JMS
 * cannot set it, and Camel copies no header to it: Qpid JMS' AMQP view of the created message can.
 */
@ApplicationScoped
@Named("deadLetterContentType")
public class DeadLetterContentType implements MessageCreatedStrategy {

    @Override
    public void onMessageCreated(Message message, Session session, Exchange exchange, Throwable cause) {
        Message original = exchange.getProperty(AmqpSettlement.ORIGINAL, Message.class);
        if (original instanceof JmsMessage received && received.getFacade() instanceof AmqpJmsMessageFacade from
                && from.getContentType() != null && message instanceof JmsMessage created
                && created.getFacade() instanceof AmqpJmsMessageFacade to) {
            to.setContentType(from.getContentType());
        }
    }
}
