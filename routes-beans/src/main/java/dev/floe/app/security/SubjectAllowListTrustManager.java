package dev.floe.app.security;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Set;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.security.auth.x500.X500Principal;

/**
 * Trusts a client certificate only if the CA trusts it and its subject is on the allow-list, so an unlisted client
 * fails the handshake itself and never reaches HTTP. Subjects compare in X.500 canonical form (case, spacing and
 * attribute-type spelling do not matter).
 */
final class SubjectAllowListTrustManager extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager ca;
    private final Set<String> allowed;

    SubjectAllowListTrustManager(X509ExtendedTrustManager ca, Set<String> allowedCanonicalSubjects) {
        this.ca = ca;
        this.allowed = allowedCanonicalSubjects;
    }

    static String canonical(String distinguishedName) {
        return new X500Principal(distinguishedName).getName(X500Principal.CANONICAL);
    }

    private void checkSubject(X509Certificate[] chain) throws CertificateException {
        if (!allowed.isEmpty()
                && !allowed.contains(chain[0].getSubjectX500Principal().getName(X500Principal.CANONICAL))) {
            throw new CertificateException(
                    "client certificate subject is not in floe.http.tls.allowed-subjects: "
                            + chain[0].getSubjectX500Principal().getName());
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        ca.checkClientTrusted(chain, authType, engine);
        checkSubject(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        ca.checkClientTrusted(chain, authType, socket);
        checkSubject(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        ca.checkClientTrusted(chain, authType);
        checkSubject(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("a server-side trust manager checks clients only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("a server-side trust manager checks clients only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a server-side trust manager checks clients only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return ca.getAcceptedIssuers();
    }
}
