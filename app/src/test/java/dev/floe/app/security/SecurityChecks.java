package dev.floe.app.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** What an operator looks at: Floe's management port. */
final class SecurityChecks {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private SecurityChecks() {
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:19000" + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
