package io.keel.api.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Short-lived, single-use console tickets, the way Proxmox VE lets a browser open a console
 * WebSocket: a browser cannot put an Authorization header on a WebSocket, so an operator's session
 * first buys a ticket for one VM and console kind, and the upgrade request carries it in its query.
 *
 * <p>A ticket is {@code <id>.<secret>}. The id finds the entry; the secret is compared in constant
 * time, so lookup timing says nothing about the secret. Redeeming removes the entry atomically, so
 * of two racing upgrades with one ticket exactly one wins. Tickets live in this node's memory only:
 * the upgrade must go to the node that issued the ticket, and a restart voids them, which is fine
 * for something that lives 30 seconds.
 */
public final class ConsoleTickets {
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);
    /** Bounds memory when a client buys tickets and never uses them. */
    static final int MAX_OUTSTANDING = 1024;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** What a ticket grants. */
    public record Grant(String vm, ConsoleKind kind, String username) {
        public Grant {
            Objects.requireNonNull(vm, "vm");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(username, "username");
        }
    }

    /** A ticket just issued; {@code toString} leaves the ticket out so it cannot reach a log by accident. */
    public record Issued(String ticket, Instant expiresAt) {
        @Override
        public String toString() {
            return "Issued[expiresAt=" + expiresAt + "]";
        }
    }

    /** Why a ticket was refused; the message is the same for all so it tells a prober nothing. */
    public static final class RefusedException extends RuntimeException {
        RefusedException() {
            super("invalid, expired or already used console ticket");
        }
    }

    private record Entry(byte[] secret, Grant grant, Instant expiresAt) {}

    private final Clock clock;
    private final SecureRandom random;
    private final Duration ttl;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public ConsoleTickets(Clock clock, SecureRandom random, Duration ttl) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive");
        }
    }

    /** A new ticket for {@code grant}; empty when too many are outstanding (callers answer 503). */
    public Optional<Issued> issue(Grant grant) {
        Objects.requireNonNull(grant, "grant");
        Instant now = clock.instant();
        if (entries.size() >= MAX_OUTSTANDING) {
            entries.values().removeIf(e -> !now.isBefore(e.expiresAt()));
            if (entries.size() >= MAX_OUTSTANDING) {
                return Optional.empty();
            }
        }
        String id = B64.encodeToString(bytes(12));
        String secret = B64.encodeToString(bytes(32));
        Instant expiresAt = now.plus(ttl);
        entries.put(id, new Entry(secret.getBytes(StandardCharsets.US_ASCII), grant, expiresAt));
        return Optional.of(new Issued(id + "." + secret, expiresAt));
    }

    /**
     * Consumes {@code ticket} if it is valid for {@code vm} and {@code kind}, and returns its grant.
     * A ticket presented for another VM or kind is consumed too: it has been shown where it did not
     * belong, and a second try must not get further.
     *
     * @throws RefusedException when unknown, expired, already used or bound to something else
     */
    public Grant redeem(String ticket, String vm, ConsoleKind kind) {
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(kind, "kind");
        if (ticket == null) {
            throw new RefusedException();
        }
        int dot = ticket.indexOf('.');
        if (dot <= 0) {
            throw new RefusedException();
        }
        String id = ticket.substring(0, dot);
        Entry entry = entries.get(id);
        if (entry == null || !MessageDigest.isEqual(entry.secret(),
                ticket.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            throw new RefusedException();
        }
        // Only the caller that removes the entry may use it: single use even under a race.
        if (!entries.remove(id, entry)) {
            throw new RefusedException();
        }
        if (!clock.instant().isBefore(entry.expiresAt())
                || !entry.grant().vm().equals(vm) || entry.grant().kind() != kind) {
            throw new RefusedException();
        }
        return entry.grant();
    }

    int outstanding() {
        return entries.size();
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
