package dev.floe.app.security;

/** No bearer token, or one that does not prove who sent the request: 401 with WWW-Authenticate. */
public class UnauthenticatedException extends RuntimeException {

    private final boolean tokenPresent;

    public UnauthenticatedException(String message, boolean tokenPresent) {
        // the reason can quote the token's own claims: keep what is echoed back short
        super(message.length() > 200 ? message.substring(0, 200) + "..." : message);
        this.tokenPresent = tokenPresent;
    }

    /** The RFC 6750 challenge: error="invalid_token" only when a token was sent. */
    public String challenge() {
        if (!tokenPresent) {
            return "Bearer realm=\"floe\"";
        }
        // quoted-string: no quotes or backslashes inside
        String description = getMessage().replaceAll("[\"\\\\\\p{Cntrl}]", "'");
        return "Bearer realm=\"floe\", error=\"invalid_token\", error_description=\"" + description + "\"";
    }
}
