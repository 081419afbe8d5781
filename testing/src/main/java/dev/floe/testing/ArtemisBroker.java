package dev.floe.testing;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManagerImpl;
import org.apache.qpid.jms.JmsConnectionFactory;

/**
 * A real ActiveMQ Artemis broker with an AMQP 1.0 acceptor, in this JVM; persistent (its journal in a folder) so it can
 * be stopped and started again with its messages. Client helpers speak AMQP through Qpid JMS.
 */
public final class ArtemisBroker implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    // with TLS and authentication (startSecured); null and 0 otherwise
    private final TestCertificates certificates;
    private final int tlsPort;
    private final String user;
    private final String password;
    // broker.xml's address-settings, by match, applied again on every start
    private final Map<String, AddressSettings> addressSettings = new LinkedHashMap<>();
    private EmbeddedActiveMQ server;

    private ArtemisBroker(Path dataDir, int port, TestCertificates certificates, int tlsPort, String user,
            String password) {
        this.dataDir = dataDir;
        this.port = port;
        this.certificates = certificates;
        this.tlsPort = tlsPort;
        this.user = user;
        this.password = password;
    }

    public static ArtemisBroker start(Path dataDir) {
        try {
            ArtemisBroker broker = new ArtemisBroker(dataDir, freePort(), null, 0, null, null);
            broker.start();
            return broker;
        } catch (Exception e) {
            throw new IllegalStateException("Artemis did not start", e);
        }
    }

    /**
     * A broker with security on: every connection must log in as {@code user} (who may do everything), and a second
     * AMQP acceptor speaks TLS with the key store of {@code certificates} ({@link #amqpsUrl()}). The helpers of this
     * class log in as {@code user} on the plain acceptor.
     */
    public static ArtemisBroker startSecured(Path dataDir, TestCertificates certificates, String user,
            String password) {
        try {
            ArtemisBroker broker = new ArtemisBroker(dataDir, freePort(), certificates, freePort(), user, password);
            broker.start();
            return broker;
        } catch (Exception e) {
            throw new IllegalStateException("Artemis did not start", e);
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Starts the broker (again), on the same port and journal. */
    public synchronized void start() throws Exception {
        Configuration config = new ConfigurationImpl().setPersistenceEnabled(true).setSecurityEnabled(user != null)
                .setJournalDirectory(dataDir.resolve("journal").toString())
                .setBindingsDirectory(dataDir.resolve("bindings").toString())
                .setPagingDirectory(dataDir.resolve("paging").toString())
                .setLargeMessagesDirectory(dataDir.resolve("large").toString())
                .addAcceptorConfiguration("amqp", "tcp://127.0.0.1:" + port + "?protocols=AMQP");
        addressSettings.forEach(config::addAddressSetting);
        ActiveMQSecurityManagerImpl security = new ActiveMQSecurityManagerImpl();
        if (user != null) {
            config.addAcceptorConfiguration("amqps", "tcp://127.0.0.1:" + tlsPort
                    + "?protocols=AMQP;sslEnabled=true;keyStoreType=PKCS12;keyStorePath=" + certificates.keyStore()
                    + ";keyStorePassword=" + certificates.password());
            security.getConfiguration().addUser(user, password);
            security.getConfiguration().addRole(user, "all");
            // send, consume, create/delete durable and non-durable queues, manage, browse, create/delete addresses
            config.putSecurityRoles("#",
                    Set.of(new Role("all", true, true, true, true, true, true, true, true, true, true)));
        }
        // right after a stop the port may still be held for a moment: try again for a few seconds
        long deadline = System.currentTimeMillis() + 15_000;
        while (true) {
            server = new EmbeddedActiveMQ();
            server.setConfiguration(config);
            server.setSecurityManager(security);
            server.start();
            var remoting = server.getActiveMQServer().getRemotingService();
            if (remoting.getAcceptor("amqp").isStarted()
                    && (user == null || remoting.getAcceptor("amqps").isStarted())) {
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

    /**
     * The TLS acceptor of a broker started with {@link #startSecured}, at localhost (the name in its certificate),
     * without trust store options: the client adds them.
     */
    public String amqpsUrl() {
        if (certificates == null) {
            throw new IllegalStateException("this broker has no TLS acceptor");
        }
        return "amqps://localhost:" + tlsPort;
    }

    private Connection connect() throws Exception {
        JmsConnectionFactory factory = new JmsConnectionFactory(url());
        if (user != null) {
            factory.setUsername(user);
            factory.setPassword(password);
        }
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
