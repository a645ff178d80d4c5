package io.keel.meta.cluster;

import java.util.Locale;
import java.util.Optional;

/**
 * How a policy survives failures: whole copies of each chunk, or erasure coding that cuts a
 * stripe into {@code data} fragments and adds {@code parity} fragments, any {@code data} of which
 * rebuild it (ADR 0048). Either way every piece needs its own failure domain, so placement only
 * asks for {@link #pieces()}.
 */
public sealed interface Redundancy permits Redundancy.Replicated, Redundancy.ErasureCoded {
    /** The codec (keel-ec, ADR 0047) works over GF(2^8) with at most this many fragments a stripe. */
    int MAX_FRAGMENTS = 32;

    /** Pieces of each chunk or stripe that need distinct failure domains. */
    int pieces();

    /** Raw space used per byte of data. */
    double overhead();

    /** How administrators read it: "3 replicas", "EC 5+2". */
    String label();

    /** Why this redundancy is not allowed, or empty when it is. */
    Optional<String> problem();

    /** {@code copies} whole copies of every chunk. */
    record Replicated(int copies) implements Redundancy {
        public static final int MAX_COPIES = 3;

        @Override
        public int pieces() {
            return copies;
        }

        @Override
        public double overhead() {
            return copies;
        }

        @Override
        public String label() {
            return copies + (copies == 1 ? " replica" : " replicas");
        }

        @Override
        public Optional<String> problem() {
            if (copies < 1 || copies > MAX_COPIES) {
                return Optional.of("replicas must be 1-" + MAX_COPIES + ", got " + copies
                        + " (for more redundancy use erasure coding, e.g. 5+2)");
            }
            return Optional.empty();
        }
    }

    /**
     * Erasure coding M+N: {@code data} (M) data fragments and {@code parity} (N) parity fragments,
     * written as "M+N" like the storage products do. Stored inside {@link StoragePolicy} as its
     * {@code ec} field, so its components are part of the stored JSON.
     */
    record ErasureCoded(int data, int parity) implements Redundancy {
        @Override
        public int pieces() {
            return data + parity;
        }

        @Override
        public double overhead() {
            return (double) (data + parity) / data;
        }

        @Override
        public String label() {
            return "EC " + mode();
        }

        /** "5+2". */
        public String mode() {
            return data + "+" + parity;
        }

        @Override
        public Optional<String> problem() {
            if (data < 1) {
                return Optional.of(mode() + " has no data fragments: erasure coding needs M of at least 1");
            }
            if (parity < 1) {
                return Optional.of(mode() + " is not erasure coding: it survives no failure; use replicas instead");
            }
            if (pieces() > MAX_FRAGMENTS) {
                return Optional.of("EC " + mode() + " has " + pieces() + " fragments; the codec handles at most "
                        + MAX_FRAGMENTS + " (M+N <= " + MAX_FRAGMENTS + ")");
            }
            return Optional.empty();
        }

        /**
         * Reads "M+N" (e.g. "5+2"); checks only the form, {@link #problem()} judges the numbers.
         *
         * @throws IllegalArgumentException when {@code text} is not two whole numbers joined by "+"
         */
        public static ErasureCoded parse(String text) {
            String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
            int plus = t.indexOf('+');
            if (plus <= 0 || plus == t.length() - 1 || !digits(t.substring(0, plus))
                    || !digits(t.substring(plus + 1))) {
                throw new IllegalArgumentException("erasure coding mode " + (text == null ? "(none)" : "'" + text + "'")
                        + " is not M+N: give data and parity fragments like 5+2");
            }
            return new ErasureCoded(Integer.parseInt(t.substring(0, plus)), Integer.parseInt(t.substring(plus + 1)));
        }

        private static boolean digits(String s) {
            // Three digits bound the value well within int and far beyond the 32-fragment limit.
            return !s.isEmpty() && s.length() <= 3 && s.chars().allMatch(ch -> ch >= '0' && ch <= '9');
        }
    }
}
