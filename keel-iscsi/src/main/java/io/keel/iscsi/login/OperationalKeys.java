package io.keel.iscsi.login;

import io.keel.iscsi.login.TextKeys.Pair;
import java.util.Objects;

/**
 * Negotiates the operational keys of one login (RFC 7143 sections 6.2 and 13): each offer from the
 * initiator gets one answer, and the settled values accumulate here. Not thread-safe; one per login.
 */
public final class OperationalKeys {
    private final TargetLimits limits;
    private boolean headerDigest;
    private boolean dataDigest;
    private int initiatorMaxRecv = 8192;
    private int maxBurst = 262144;
    private int firstBurst = 65536;
    private boolean immediateData = true;
    private boolean initialR2T = true;
    private int maxOutstandingR2T = 1;
    private int time2Wait = 2;
    private int time2Retain = 20;
    private int maxConnections = 1;
    private boolean offeredMaxBurst;
    private boolean offeredFirstBurst;
    private boolean offeredImmediate;
    private boolean offeredInitialR2T;
    private boolean offeredMaxR2T;

    public OperationalKeys(TargetLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        // Keys the initiator never offers keep their RFC defaults, capped by what we allow.
        this.maxBurst = Math.min(maxBurst, limits.maxBurstLength());
        this.firstBurst = Math.min(firstBurst, Math.min(limits.firstBurstLength(), maxBurst));
        this.immediateData = limits.immediateData();
        this.initialR2T = true;
        this.maxOutstandingR2T = 1;
    }

    /** Whether {@code key} is one of ours; others are answered by the login machine. */
    public static boolean handles(String key) {
        return switch (key) {
            case "HeaderDigest", "DataDigest", "MaxRecvDataSegmentLength", "MaxBurstLength", "FirstBurstLength",
                    "ImmediateData", "InitialR2T", "MaxOutstandingR2T", "DefaultTime2Wait", "DefaultTime2Retain",
                    "ErrorRecoveryLevel", "MaxConnections", "DataPDUInOrder", "DataSequenceInOrder", "IFMarker",
                    "OFMarker", "IFMarkInt", "OFMarkInt", "OFMarkerInt", "IFMarkerInt" -> true;
            default -> false;
        };
    }

    /** The answer to one offer, or null for a declaration that needs none. */
    public Pair answer(Pair offer) {
        String k = offer.key();
        String v = offer.value();
        return switch (k) {
            case "HeaderDigest" -> {
                String pick = pickDigest(v);
                if (pick != null) {
                    headerDigest = pick.equals("CRC32C");
                }
                yield new Pair(k, pick == null ? "Reject" : pick);
            }
            case "DataDigest" -> {
                String pick = pickDigest(v);
                if (pick != null) {
                    dataDigest = pick.equals("CRC32C");
                }
                yield new Pair(k, pick == null ? "Reject" : pick);
            }
            case "MaxRecvDataSegmentLength" -> {
                // Declarative: the initiator tells us what it accepts; we answer ours separately.
                Integer n = number(v, 512, (1 << 24) - 1);
                if (n == null) {
                    yield new Pair(k, "Reject");
                }
                initiatorMaxRecv = n;
                yield null;
            }
            case "MaxBurstLength" -> minimum(offer, 512, (1 << 24) - 1, limits.maxBurstLength(), n -> {
                maxBurst = n;
                offeredMaxBurst = true;
            });
            case "FirstBurstLength" -> minimum(offer, 512, (1 << 24) - 1, limits.firstBurstLength(), n -> {
                firstBurst = n;
                offeredFirstBurst = true;
            });
            case "MaxOutstandingR2T" -> minimum(offer, 1, 65535, limits.maxOutstandingR2T(), n -> {
                maxOutstandingR2T = n;
                offeredMaxR2T = true;
            });
            case "DefaultTime2Wait" -> maximum(offer, 0, 3600, 2, n -> time2Wait = n);
            case "DefaultTime2Retain" -> minimum(offer, 0, 3600, 20, n -> time2Retain = n);
            // We implement no error recovery within a session or connection.
            case "ErrorRecoveryLevel" -> minimum(offer, 0, 2, 0, n -> {});
            // One connection per session: several connections reach a target as several sessions.
            case "MaxConnections" -> minimum(offer, 1, 65535, 1, n -> maxConnections = n);
            case "ImmediateData" -> bool(offer, true, limits.immediateData(), b -> {
                immediateData = b;
                offeredImmediate = true;
            });
            case "InitialR2T" -> bool(offer, false, limits.initialR2T(), b -> {
                initialR2T = b;
                offeredInitialR2T = true;
            });
            // We need in-order data; OR with our Yes makes the result Yes whatever was offered.
            case "DataPDUInOrder", "DataSequenceInOrder" -> bool(offer, false, true, b -> {});
            case "IFMarker", "OFMarker" -> bool(offer, true, false, b -> {});
            default -> new Pair(k, "Irrelevant");
        };
    }

    /** Our own declarations for the first operational response. */
    public Pair declaration() {
        return new Pair("MaxRecvDataSegmentLength", Integer.toString(limits.maxRecvDataSegmentLength()));
    }

    public SessionParams result() {
        int mb = offeredMaxBurst ? maxBurst : Math.min(262144, limits.maxBurstLength());
        int fb = Math.min(offeredFirstBurst ? firstBurst : Math.min(65536, limits.firstBurstLength()), mb);
        return new SessionParams(headerDigest, dataDigest, initiatorMaxRecv, limits.maxRecvDataSegmentLength(), mb,
                fb, offeredImmediate ? immediateData : limits.immediateData(),
                offeredInitialR2T ? initialR2T : true, offeredMaxR2T ? maxOutstandingR2T : 1, time2Wait,
                time2Retain, 0, maxConnections);
    }

    private String pickDigest(String list) {
        for (String option : list.split(",", -1)) {
            if (option.equals("None") && !limits.requireDigests()) {
                return "None";
            }
            if (option.equals("CRC32C") && limits.allowDigests()) {
                return "CRC32C";
            }
        }
        return null;
    }

    private interface IntSink {
        void accept(int n);
    }

    private interface BoolSink {
        void accept(boolean b);
    }

    private static Pair minimum(Pair offer, int lo, int hi, int ours, IntSink sink) {
        Integer n = number(offer.value(), lo, hi);
        if (n == null) {
            return new Pair(offer.key(), "Reject");
        }
        int result = Math.min(n, ours);
        sink.accept(result);
        return new Pair(offer.key(), Integer.toString(result));
    }

    private static Pair maximum(Pair offer, int lo, int hi, int ours, IntSink sink) {
        Integer n = number(offer.value(), lo, hi);
        if (n == null) {
            return new Pair(offer.key(), "Reject");
        }
        int result = Math.max(n, ours);
        sink.accept(result);
        return new Pair(offer.key(), Integer.toString(result));
    }

    /** {@code and}: the result is Yes only if both say Yes; otherwise (OR) Yes if either does. */
    private static Pair bool(Pair offer, boolean and, boolean ours, BoolSink sink) {
        boolean theirs;
        if (offer.value().equals("Yes")) {
            theirs = true;
        } else if (offer.value().equals("No")) {
            theirs = false;
        } else {
            return new Pair(offer.key(), "Reject");
        }
        boolean result = and ? theirs && ours : theirs || ours;
        sink.accept(result);
        return new Pair(offer.key(), result ? "Yes" : "No");
    }

    /** A decimal (or 0x hex) number within the range, else null. */
    static Integer number(String s, int lo, int hi) {
        if (s.isEmpty() || s.length() > 12) {
            return null;
        }
        try {
            long n = s.startsWith("0x") || s.startsWith("0X") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
            return n < lo || n > hi ? null : (int) n;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
