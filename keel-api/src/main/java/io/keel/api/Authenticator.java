package io.keel.api;

import io.javalin.http.Context;
import io.keel.api.auth.InvalidTokenException;
import io.keel.api.auth.PasswordHasher;
import io.keel.api.auth.SessionTokens;
import io.keel.api.dto.LoginRequest;
import io.keel.api.dto.LoginResponse;
import io.keel.meta.cluster.ClusterSecrets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Login, and the two credentials routes accept: operator session tokens and node secrets. */
final class Authenticator {
    static final String SUPERADMIN = "superadmin";
    static final String SESSION_ATTRIBUTE = "keel.session";
    static final String NODE_ATTRIBUTE = "keel.nodeId";
    private static final String BAD_LOGIN = "invalid username or password";
    // Argon2id takes ~19 MiB per hash, and virtual threads put no bound on concurrent logins, so
    // without this a burst of logins is a memory exhaustion attack.
    private static final long HASH_QUEUE_SECONDS = 30;

    private final ClusterService service;
    private final PasswordHasher hasher;
    private final SessionTokens tokens;
    private final Duration sessionTtl;
    private final Semaphore hashing;

    Authenticator(ClusterService service, PasswordHasher hasher, SessionTokens tokens, Duration sessionTtl,
            int maxConcurrentHashes) {
        this.service = Objects.requireNonNull(service, "service");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.sessionTtl = Objects.requireNonNull(sessionTtl, "sessionTtl");
        this.hashing = new Semaphore(maxConcurrentHashes);
    }

    LoginResponse login(LoginRequest request) {
        if (request.username() == null || request.password() == null) {
            throw ApiException.invalid("username and password are required");
        }
        ClusterSecrets secrets = secrets();
        char[] password = request.password().toCharArray();
        boolean ok;
        try {
            ok = verifyBounded(password, secrets.superadminPasswordHash());
        } finally {
            Arrays.fill(password, '\0');
        }
        // The hash is checked even for a wrong username so both failures take the same time, and
        // both get the same message so that neither reveals which part was wrong.
        if (!ok || !SUPERADMIN.equals(request.username())) {
            throw new ApiException(401, "unauthorized", BAD_LOGIN);
        }
        SessionTokens.IssuedToken token = tokens.issue(secrets.tokenSigningKey(), SUPERADMIN, sessionTtl);
        return new LoginResponse(token.token(), token.username(), token.expiresAt());
    }

    private boolean verifyBounded(char[] password, String phc) {
        try {
            if (!hashing.tryAcquire(HASH_QUEUE_SECONDS, TimeUnit.SECONDS)) {
                throw new ApiException(503, "busy", "too many logins in progress, try again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "busy", "interrupted while waiting to check the password");
        }
        try {
            return hasher.verify(password, phc);
        } finally {
            hashing.release();
        }
    }

    /** Requires {@code Authorization: Bearer <token>}; records the session on the context. */
    void requireSession(Context ctx) {
        String token = credentials(ctx, "Bearer", "bearer token");
        try {
            ctx.attribute(SESSION_ATTRIBUTE, tokens.verify(secrets().tokenSigningKey(), token));
        } catch (InvalidTokenException e) {
            throw unauthorized(ctx, "Bearer", e.getMessage());
        }
    }

    /** Requires {@code Authorization: Node <nodeId>:<secret>}; records the node id on the context. */
    String requireNode(Context ctx) {
        String credential = credentials(ctx, "Node", "node credential");
        int colon = credential.indexOf(':');
        if (colon <= 0 || colon == credential.length() - 1) {
            throw unauthorized(ctx, "Node", "malformed node credential (expected Node <nodeId>:<secret>)");
        }
        String nodeId = credential.substring(0, colon);
        if (!service.verifyNodeSecret(nodeId, credential.substring(colon + 1))) {
            throw unauthorized(ctx, "Node", "invalid node credential");
        }
        ctx.attribute(NODE_ATTRIBUTE, nodeId);
        return nodeId;
    }

    private static String credentials(Context ctx, String scheme, String what) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw unauthorized(ctx, scheme, "missing " + what);
        }
        int space = header.indexOf(' ');
        // Schemes are case-insensitive (RFC 9110 section 11.1).
        if (space <= 0 || !header.substring(0, space).equalsIgnoreCase(scheme)) {
            throw unauthorized(ctx, scheme, "malformed Authorization header (expected " + scheme + " scheme)");
        }
        String value = header.substring(space + 1).strip();
        if (value.isEmpty()) {
            throw unauthorized(ctx, scheme, "missing " + what);
        }
        return value;
    }

    private ClusterSecrets secrets() {
        return service.secrets().orElseThrow(() ->
                new ApiException(503, "not_initialised", "the cluster is not initialised yet"));
    }

    private static ApiException unauthorized(Context ctx, String scheme, String message) {
        ctx.header("WWW-Authenticate", scheme + " realm=\"keel\"");
        return new ApiException(401, "unauthorized", message);
    }
}
