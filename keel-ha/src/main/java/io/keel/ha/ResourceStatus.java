package io.keel.ha;

import java.time.Instant;
import java.util.Objects;

/**
 * The CRM's persisted record of one resource. Every decision that gives the LRMs something new to
 * do takes a fresh {@code uid}; reports answer a uid.
 *
 * @param node         its node: where it runs or last ran, or the migration/relocation source;
 *                     null only for an auto resource never placed
 * @param target       the destination of a migration or relocation, else null
 * @param since        when it entered {@code state}
 * @param home         the node it was moved away from and goes back to when that returns, or null
 * @param relocations  moves after failures so far
 * @param cause        why it is moving or restarting, or null
 * @param lostAt       the last contact of the lost node it is being recovered from, to report how
 *                     long the recovery took; null otherwise
 * @param waiting      why it is not running although it should, or null
 * @param hold         a pinned resource kept stopped until the next explicit start
 * @param startRequest the last {@link ResourceSpec#startRequest()} acted on
 * @param confirmed    its LRM has reported it running under this uid
 */
public record ResourceStatus(ResourceState state, String node, String target, long uid, Instant since, String home,
        int relocations, MoveCause cause, Instant lostAt, String waiting, boolean hold, long startRequest,
        boolean confirmed) {

    public ResourceStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Copies with some fields changed; a decision usually touches three or four of them. */
    public static final class Builder {
        private ResourceState state;
        private String node;
        private String target;
        private long uid;
        private Instant since;
        private String home;
        private int relocations;
        private MoveCause cause;
        private Instant lostAt;
        private String waiting;
        private boolean hold;
        private long startRequest;
        private boolean confirmed;

        private Builder(ResourceStatus s) {
            state = s.state;
            node = s.node;
            target = s.target;
            uid = s.uid;
            since = s.since;
            home = s.home;
            relocations = s.relocations;
            cause = s.cause;
            lostAt = s.lostAt;
            waiting = s.waiting;
            hold = s.hold;
            startRequest = s.startRequest;
            confirmed = s.confirmed;
        }

        /** A new state entered now under a new decision id: unconfirmed, not waiting, no target. */
        public Builder enter(ResourceState next, long newUid, Instant now) {
            state = next;
            uid = newUid;
            since = now;
            target = null;
            waiting = null;
            confirmed = false;
            return this;
        }

        public Builder node(String n) {
            node = n;
            return this;
        }

        public Builder target(String t) {
            target = t;
            return this;
        }

        public Builder home(String h) {
            home = h;
            return this;
        }

        public Builder relocations(int r) {
            relocations = r;
            return this;
        }

        public Builder cause(MoveCause c) {
            cause = c;
            return this;
        }

        public Builder lostAt(Instant t) {
            lostAt = t;
            return this;
        }

        public Builder waiting(String w) {
            waiting = w;
            return this;
        }

        public Builder hold(boolean h) {
            hold = h;
            return this;
        }

        public Builder startRequest(long r) {
            startRequest = r;
            return this;
        }

        public Builder confirmed(boolean c) {
            confirmed = c;
            return this;
        }

        public ResourceStatus build() {
            return new ResourceStatus(state, node, target, uid, since, home, relocations, cause, lostAt, waiting, hold,
                    startRequest, confirmed);
        }
    }
}
