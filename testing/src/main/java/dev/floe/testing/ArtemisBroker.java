package dev.floe.testing;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.qpid.jms.JmsConnectionFactory;

/**
 * A real ActiveMQ Artemis broker with an AMQP 1.0 acceptor, in this JVM; persistent (its journal in a folder) so it can
 * be stopped and started again with its messages. Client helpers speak AMQP through Qpid JMS.
 */
public final class ArtemisBroker implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    // broker.xml's address-settings, by match, applied again on every start
    private final Map<String, AddressSettings> addressSettings = new LinkedHashMap<>();
    private EmbeddedActiveMQ server;

    private ArtemisBroker(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    public static ArtemisBroker start(Path dataDir) {
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            ArtemisBroker broker = new ArtemisBroker(dataDir, port);
            broker.start();
            return broker;
        } catch (Exception e) {
            throw new IllegalStateException("Artemis did not start", e);
        }
    }

    /** Starts the broker (again), on the same port and journal. */
    public synchronized void start() throws Exception {
        Configuration config = new ConfigurationImpl().setPersistenceEnabled(true).setSecurityEnabled(false)
                .setJournalDirectory(dataDir.resolve("journal").toString())
                .setBindingsDirectory(dataDir.resolve("bindings").toString())
                .setPagingDirectory(dataDir.resolve("paging").toString())
                .setLargeMessagesDirectory(dataDir.resolve("large").toString())
                .addAcceptorConfiguration("amqp", "tcp://127.0.0.1:" + port + "?protocols=AMQP");
        addressSettings.forEach(config::addAddressSetting);
        // right after a stop the port may still be held for a moment: try again for a few seconds
        long deadline = System.currentTimeMillis() + 15_000;
        while (true) {
            server = new EmbeddedActiveMQ();
            server.setConfiguration(config);
            server.start();
            if (server.getActiveMQServer().getRemotingService().getAcceptor("amqp").isStarted()) {
                return;
            }
            server.stop();
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the AMQP acceptor did not start on port " + port + " in 15 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
        }
    }

    public synchronized void stop() throws Exception {
        server.stop();
    }

    /**
     * Sets what broker.xml's {@code <address-setting match="…">} sets (max-delivery-attempts, dead-letter-address,
     * redelivery-delay…) for the addresses matching {@code match}, at once for existing queues and on every restart.
     */
    public synchronized void addressSetting(String match, AddressSettings settings) {
        addressSettings.put(match, settings);
        server.getActiveMQServer().getAddressSettingsRepository().addMatch(match, settings);
    }

    /** Creates a durable anycast queue on the address of the same name, as broker.xml's {@code <address>} does. */
    public synchronized void createQueue(String name) {
        try {
            server.getActiveMQServer().createQueue(QueueConfiguration.of(name).setRoutingType(RoutingType.ANYCAST)
                    .setAutoCreateAddress(true).setAutoDelete(false), true);
        } catch (Exception e) {
            throw new IllegalStateException("could not create queue " + name, e);
        }
    }

    /** Messages in the queue, delivered but not yet settled ones included. */
    public long messageCount(String queue) {
        var q = server.getActiveMQServer().locateQueue(queue);
        return q == null ? 0 : q.getMessageCount();
    }

    public String url() {
        return "amqp://127.0.0.1:" + port;
    }

    private Connection connect() throws Exception {
        JmsConnectionFactory factory = new JmsConnectionFactory(url());
        // the AMQP binding's property names (cloudEvents:id) are not JMS identifiers
        factory.setValidatePropertyNames(false);
        Connection connection = factory.createConnection();
        connection.start();
        return connection;
    }

    /** Sends messages with these bodies and application properties (and content types, null for none). */
    public void send(String queue, List<byte[]> bodies, List<Map<String, Object>> properties,
            List<String> contentTypes) {
        try (Connection connection = connect();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue(queue))) {
            for (int i = 0; i < bodies.size(); i++) {
                BytesMessage message = session.createBytesMessage();
                message.writeBytes(bodies.get(i));
                for (Map.Entry<String, Object> p : properties.get(i).entrySet()) {
                    message.setObjectProperty(p.getKey(), p.getValue());
                }
                String contentType = contentTypes.get(i);
                if (contentType != null) {
                    // Qpid JMS' AMQP view: the message's content-type, which JMS itself cannot set
                    ((org.apache.qpid.jms.provider.amqp.message.AmqpJmsMessageFacade) ((org.apache.qpid.jms.message.JmsMessage) message)
                            .getFacade()).setContentType(org.apache.qpid.proton.amqp.Symbol.valueOf(contentType));
                }
                producer.send(message);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends one JMS ObjectMessage: the object, serialized with Java serialization, and these properties. */
    public void sendObject(String queue, java.io.Serializable object, Map<String, Object> properties) {
        try (Connection connection = connect();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue(queue))) {
            jakarta.jms.ObjectMessage message = session.createObjectMessage(object);
            for (Map.Entry<String, Object> p : properties.entrySet()) {
                message.setObjectProperty(p.getKey(), p.getValue());
            }
            producer.send(message);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Takes up to {@code max} messages off a queue, waiting at most {@code millis} for each. */
    public List<Message> receive(String queue, int max, long millis) {
        List<Message> out = new ArrayList<>();
        try (Connection connection = connect();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(session.createQueue(queue))) {
            Message m;
            while (out.size() < max && (m = consumer.receive(millis)) != null) {
                out.add(m);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    public static String text(Message message) throws Exception {
        BytesMessage bytes = (BytesMessage) message;
        byte[] body = new byte[(int) bytes.getBodyLength()];
        bytes.readBytes(body);
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
