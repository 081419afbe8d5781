package dev.floe.app.security;

import java.nio.file.Path;
import java.security.Principal;
import java.util.Optional;

import javax.net.ssl.SSLPeerUnverifiedException;

import dev.floe.app.FloeConfig;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.netty.NettyConstants;

/**
 * Who sent the request, as the exchange property {@link #PRINCIPAL}: the bearer token's sender when a JWT issuer or a
 * static token file is configured (and then a valid token is required: 401 otherwise), else the mTLS client's subject,
 * else {@link #ANONYMOUS}. The Authorization header is removed here, so the token goes no further into the route.
 */
@ApplicationScoped
@Named("ingestAuthentication")
public class IngestAuthentication implements Processor {

    public static final String PRINCIPAL = "FloePrincipal";
    public static final String ANONYMOUS = "anonymous";

    @Inject
    FloeConfig config;

    private JwtVerifier jwt;
    private StaticTokens staticTokens;

    @PostConstruct
    void init() {
        FloeConfig.Auth auth = config.http().auth();
        jwt = auth.jwt().issuer().map(issuer -> new JwtVerifier(auth.jwt())).orElse(null);
        if (jwt == null && auth.jwt().jwksUrl().isPresent()) {
            throw new IllegalArgumentException("floe.http.auth.jwt.jwks-url needs floe.http.auth.jwt.issuer");
        }
        staticTokens = auth.staticTokensFile().map(file -> new StaticTokens(Path.of(file))).orElse(null);
    }

    @Override
    public void process(Exchange exchange) {
        String authorization = exchange.getIn().getHeader("Authorization", String.class);
        exchange.getIn().removeHeader("Authorization");
        String principal;
        if (jwt != null || staticTokens != null) {
            principal = bearer(authorization);
        } else {
            principal = clientSubject(exchange).orElse(ANONYMOUS);
        }
        exchange.setProperty(PRINCIPAL, principal);
    }

    private String bearer(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new UnauthenticatedException("a bearer token is required (Authorization: Bearer ...)", false);
        }
        String[] parts = authorization.strip().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer")) {
            throw new UnauthenticatedException("only Bearer authorization is accepted", false);
        }
        String token = parts[1];
        if (staticTokens != null) {
            Optional<String> name = staticTokens.nameOf(token);
            if (name.isPresent()) {
                return name.get();
            }
        }
        if (jwt != null) {
            return jwt.principalOf(token);
        }
        throw new UnauthenticatedException("the bearer token is not known", true);
    }

    /** The channel is handed over by netty-http (reuseChannel=true on the route's endpoint). */
    private static Optional<String> clientSubject(Exchange exchange) {
        Channel channel = exchange.getProperty(NettyConstants.NETTY_CHANNEL, Channel.class);
        SslHandler ssl = channel == null ? null : channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return Optional.empty();
        }
        try {
            Principal peer = ssl.engine().getSession().getPeerPrincipal();
            return Optional.of(peer.getName());
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }
}
