package dev.floe.app.catalogs;

import java.net.URI;
import java.util.Map;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/** S3Proxy on loopback with an in-memory blob store and real AWS v4 authentication. */
final class S3Server {

    static final String ACCESS_KEY = "floe-access";
    static final String SECRET_KEY = "s3-secret-7f3a9c";
    static final String BUCKET = "warehouse";

    private final S3Proxy proxy;

    S3Server() throws Exception {
        TransientNio2BlobStore store = new TransientNio2BlobStore();
        proxy = S3Proxy.builder().blobStore(store)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0")).build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            Thread.onSpinWait();
        }
        store.createContainer(BUCKET);
    }

    String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    int port() {
        return proxy.getPort();
    }

    /** The S3FileIO properties for this store, for a catalog client or server. */
    Map<String, String> fileIo() {
        return Map.of("io-impl", "org.apache.iceberg.aws.s3.S3FileIO",
                "s3.endpoint", endpoint(),
                "s3.path-style-access", "true",
                "s3.access-key-id", ACCESS_KEY,
                "s3.secret-access-key", SECRET_KEY,
                "client.region", "us-east-1",
                "http-client.type", "urlconnection");
    }

    void stop() throws Exception {
        proxy.stop();
    }
}
