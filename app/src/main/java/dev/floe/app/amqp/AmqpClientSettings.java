package dev.floe.app.amqp;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;

import dev.floe.app.FloeConfig;
import org.apache.camel.component.amqp.AMQPComponent;
import org.apache.camel.component.jms.JmsConfiguration;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.apache.qpid.jms.policy.JmsDefaultDeserializationPolicy;

/**
 * The amqp component, on a Qpid JMS connection from floe.amqp.*. Sessions use Qpid's individual-acknowledge mode: a
 * message is settled on its own, by {@link AmqpSettlement}, once the commit that holds it has succeeded; the listener
 * thread never waits for it, so a batch can hold far more messages than there are consumer threads.
 */
@ApplicationScoped
public class AmqpClientSettings {

    /** Qpid JMS' INDIVIDUAL_ACKNOWLEDGE session mode (not a JMS constant, so Spring's container never acknowledges). */
    static final int INDIVIDUAL_ACKNOWLEDGE = 101;

    @Produces
    @ApplicationScoped
    @Named("amqp")
    AMQPComponent amqp(FloeConfig config) {
        JmsConnectionFactory factory = new JmsConnectionFactory(config.amqp().url());
        config.amqp().username().ifPresent(factory::setUsername);
        config.amqp().password().ifPresent(factory::setPassword);
        AmqpTrustStore.sslContext(config.amqp()).ifPresent(factory::setSslContext);
        // the AMQP binding's attributes are application properties named cloudEvents:..., not JMS identifiers
        factory.setValidatePropertyNames(false);
        // Floe never reads a serialized Java object (AmqpCloudEventReader dead-letters it unread); should anything
        // ever ask Qpid to, no class is trusted (Qpid trusts every class by default)
        JmsDefaultDeserializationPolicy noClasses = new JmsDefaultDeserializationPolicy();
        noClasses.setAllowList("");
        noClasses.setDenyList(JmsDefaultDeserializationPolicy.CATCH_ALL_WILDCARD);
        factory.setDeserializationPolicy(noClasses);
        JmsConfiguration settings = new JmsConfiguration(factory);
        settings.setAcknowledgementMode(INDIVIDUAL_ACKNOWLEDGE);
        AMQPComponent amqp = new AMQPComponent();
        amqp.setConfiguration(settings);
        return amqp;
    }
}
