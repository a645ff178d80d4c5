package io.keel.iscsi.login;

import io.keel.iscsi.login.TextKeys.Pair;
import io.keel.iscsi.login.TextKeys.TextException;
import io.keel.iscsi.pdu.Pdu;
import io.keel.iscsi.pdu.Segment;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.random.RandomGenerator;

/**
 * The login phase of one connection (RFC 7143 sections 6 and 12): security stage with CHAP or
 * None, operational negotiation, then the switch to the full feature phase. Feed it each Login
 * Request; every call returns the response to send and whether the login goes on, succeeded or
 * failed (a failed login's connection is closed after the response). Not thread-safe.
 */
public final class LoginMachine {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LoginMachine.class);
    private static final int SECURITY = 0;
    private static final int OPERATIONAL = 1;
    private static final int FULL_FEATURE = 3;
    /** Command window granted during and right after login. */
    public static final int COMMAND_WINDOW = 64;

    public enum Outcome { CONTINUE, SUCCEEDED, FAILED }

    /** The response and where the login stands; {@code result} is present when it succeeded. */
    public record Step(Pdu.LoginResponse response, Outcome outcome, Optional<LoginResult> result, String reason) {}

    private enum ChapState { NOT_STARTED, CHALLENGED, DONE }

    private final TargetCatalog catalog;
    private final RandomGenerator random;
    private final IntSupplier tsihAllocator;
    private final OperationalKeys operational;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    private boolean first = true;
    private long isid;
    private int cid;
    private int statSn;
    private int cmdSn;
    private String initiatorName;
    private String targetName = "";
    private boolean discovery;
    private AccessPolicy policy;
    private String authMethod;
    private ChapState chap = ChapState.NOT_STARTED;
    private int chapId;
    private byte[] chapChallenge;
    private boolean declaredOperational;

    public LoginMachine(TargetCatalog catalog, TargetLimits limits, RandomGenerator random, IntSupplier tsihAllocator,
            int initialStatSn) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.random = Objects.requireNonNull(random, "random");
        this.tsihAllocator = Objects.requireNonNull(tsihAllocator, "tsihAllocator");
        this.operational = new OperationalKeys(Objects.requireNonNull(limits, "limits"));
        this.statSn = initialStatSn;
    }

    public Step handle(Pdu.LoginRequest req) {
        Objects.requireNonNull(req, "req");
        if (first) {
            isid = req.isid();
            cid = req.cid();
            cmdSn = req.cmdSn();
            if (req.versionMin() > 0) {
                return fail(req, LoginStatus.UNSUPPORTED_VERSION, "initiator needs iSCSI version " + req.versionMin());
            }
            if (req.tsih() != 0) {
                return fail(req, LoginStatus.SESSION_DOES_NOT_EXIST,
                        "adding connections to a session is not supported (TSIH " + req.tsih() + ")");
            }
        } else if (req.isid() != isid || req.cid() != cid) {
            return fail(req, LoginStatus.INITIATOR_ERROR, "ISID or CID changed during login");
        }
        pending.writeBytes(req.data().bytes());
        if (pending.size() > TextKeys.MAX_TEXT) {
            return fail(req, LoginStatus.INITIATOR_ERROR, "login text exceeds " + TextKeys.MAX_TEXT + " bytes");
        }
        if (req.cont()) {
            // More of this request's text follows; an empty response asks for it.
            return new Step(response(req, false, 0, List.of(), LoginStatus.SUCCESS), Outcome.CONTINUE,
                    Optional.empty(), "");
        }
        List<Pair> offers;
        try {
            offers = TextKeys.parse(pending.toByteArray());
        } catch (TextException e) {
            return fail(req, LoginStatus.INITIATOR_ERROR, "bad login text: " + e.getMessage());
        } finally {
            pending.reset();
        }
        if (log.isDebugEnabled()) {
            // Keys only, never values: CHAP responses and names stay out of logs.
            log.debug("login stage {} T={} NSG={} keys {}", req.csg(), req.transit(), req.nsg(),
                    offers.stream().map(p -> p.key().startsWith("CHAP_") ? p.key() : p.key() + "=" + p.value()).toList());
        }
        List<Pair> answers = new ArrayList<>();
        if (first) {
            first = false;
            Step refused = admit(req, offers, answers);
            if (refused != null) {
                return refused;
            }
        }
        int stage = req.csg();
        if (stage == SECURITY) {
            Step refused = security(req, offers, answers);
            if (refused != null) {
                return refused;
            }
        } else if (authMethod == null && policy.initiatorChap().isPresent()) {
            return fail(req, LoginStatus.AUTHENTICATION_FAILURE, "target requires CHAP but the security stage was skipped");
        }
        for (Pair offer : offers) {
            String k = offer.key();
            if (OperationalKeys.handles(k)) {
                Pair a = operational.answer(offer);
                if (a != null) {
                    answers.add(a);
                }
            } else if (!isSecurityKey(k) && !isDeclarative(k)) {
                answers.add(new Pair(k, "NotUnderstood"));
            }
        }
        if (stage == OPERATIONAL && !declaredOperational) {
            declaredOperational = true;
            answers.add(operational.declaration());
        }
        boolean transit = req.transit();
        if (transit && stage == SECURITY && authMethod == null) {
            return fail(req, LoginStatus.AUTHENTICATION_FAILURE, "no AuthMethod agreed before leaving the security stage");
        }
        if (transit && stage == SECURITY && "CHAP".equals(authMethod) && chap != ChapState.DONE) {
            transit = false; // the CHAP exchange is not over yet
        }
        if (transit && req.nsg() <= stage) {
            return fail(req, LoginStatus.INITIATOR_ERROR, "login stage " + stage + " cannot transit to " + req.nsg());
        }
        if (transit && req.nsg() == FULL_FEATURE) {
            if (!declaredOperational) {
                declaredOperational = true;
                answers.add(operational.declaration());
            }
            int tsih = tsihAllocator.getAsInt();
            Pdu.LoginResponse r = response(req, true, req.nsg(), answers, LoginStatus.SUCCESS, tsih);
            LoginResult result = new LoginResult(discovery, initiatorName, targetName, isid, tsih, cid,
                    operational.result(), cmdSn, statSn);
            return new Step(r, Outcome.SUCCEEDED, Optional.of(result), "");
        }
        return new Step(response(req, transit, transit ? req.nsg() : 0, answers, LoginStatus.SUCCESS),
                Outcome.CONTINUE, Optional.empty(), "");
    }

    private Step admit(Pdu.LoginRequest req, List<Pair> offers, List<Pair> answers) {
        Map<String, String> keys = new java.util.HashMap<>();
        offers.forEach(p -> keys.put(p.key(), p.value()));
        initiatorName = keys.get("InitiatorName");
        if (initiatorName == null || initiatorName.isEmpty()) {
            return fail(req, LoginStatus.MISSING_PARAMETER, "no InitiatorName in the first login request");
        }
        String type = keys.getOrDefault("SessionType", "Normal");
        if (type.equals("Discovery")) {
            discovery = true;
            policy = catalog.discoveryAccess();
        } else if (type.equals("Normal")) {
            targetName = keys.get("TargetName");
            if (targetName == null || targetName.isEmpty()) {
                return fail(req, LoginStatus.MISSING_PARAMETER, "no TargetName in a normal session login");
            }
            Optional<AccessPolicy> access = catalog.access(targetName);
            if (access.isEmpty()) {
                return fail(req, LoginStatus.NOT_FOUND, "no target " + targetName);
            }
            policy = access.get();
            answers.add(new Pair("TargetPortalGroupTag", Integer.toString(catalog.portalGroupTag())));
        } else {
            return fail(req, LoginStatus.SESSION_TYPE_NOT_SUPPORTED, "SessionType " + type);
        }
        if (!policy.admits(initiatorName)) {
            return fail(req, LoginStatus.AUTHORIZATION_FAILURE, "initiator " + initiatorName + " is not allowed");
        }
        return null;
    }

    private Step security(Pdu.LoginRequest req, List<Pair> offers, List<Pair> answers) {
        Map<String, String> keys = new java.util.HashMap<>();
        offers.forEach(p -> keys.put(p.key(), p.value()));
        String methods = keys.get("AuthMethod");
        if (methods != null) {
            if (authMethod != null) {
                return fail(req, LoginStatus.INITIATOR_ERROR, "AuthMethod offered twice");
            }
            boolean needChap = policy.initiatorChap().isPresent();
            for (String m : methods.split(",", -1)) {
                if (needChap ? m.equals("CHAP") : m.equals("None")) {
                    authMethod = m;
                    break;
                }
            }
            if (authMethod == null) {
                return fail(req, LoginStatus.AUTHENTICATION_FAILURE,
                        "initiator offered AuthMethod=" + methods + ", target requires " + (needChap ? "CHAP" : "None"));
            }
            answers.add(new Pair("AuthMethod", authMethod));
            return null;
        }
        if (!"CHAP".equals(authMethod)) {
            return hasChapKeys(keys) ? fail(req, LoginStatus.INITIATOR_ERROR, "CHAP keys without AuthMethod=CHAP") : null;
        }
        switch (chap) {
            case NOT_STARTED -> {
                String algorithms = keys.get("CHAP_A");
                if (algorithms == null) {
                    return hasChapKeys(keys) ? fail(req, LoginStatus.INITIATOR_ERROR, "CHAP exchange out of order") : null;
                }
                if (!List.of(algorithms.split(",", -1)).contains(Chap.ALGORITHM_MD5)) {
                    answers.add(new Pair("CHAP_A", "Reject"));
                    return fail(req, LoginStatus.AUTHENTICATION_FAILURE, "CHAP_A=" + algorithms + " lacks MD5");
                }
                chapId = random.nextInt(256);
                chapChallenge = new byte[16];
                random.nextBytes(chapChallenge);
                chap = ChapState.CHALLENGED;
                answers.add(new Pair("CHAP_A", Chap.ALGORITHM_MD5));
                answers.add(new Pair("CHAP_I", Integer.toString(chapId)));
                answers.add(new Pair("CHAP_C", Chap.encodeHex(chapChallenge)));
            }
            case CHALLENGED -> {
                String name = keys.get("CHAP_N");
                byte[] response = keys.containsKey("CHAP_R") ? Chap.decodeBinary(keys.get("CHAP_R")) : null;
                if (name == null || response == null) {
                    return fail(req, LoginStatus.AUTHENTICATION_FAILURE, "CHAP_N or CHAP_R missing or malformed");
                }
                ChapSecret expected = policy.initiatorChap().orElseThrow();
                byte[] want = Chap.response(chapId, expected.secret(), chapChallenge);
                if (!name.equals(expected.name()) || !MessageDigest.isEqual(want, response)) {
                    return fail(req, LoginStatus.AUTHENTICATION_FAILURE, "CHAP response from " + name + " does not match");
                }
                chap = ChapState.DONE;
                if (keys.containsKey("CHAP_I") || keys.containsKey("CHAP_C")) {
                    return mutual(req, keys, answers);
                }
            }
            case DONE -> {
                if (hasChapKeys(keys)) {
                    return fail(req, LoginStatus.INITIATOR_ERROR, "CHAP keys after CHAP finished");
                }
            }
        }
        return null;
    }

    private Step mutual(Pdu.LoginRequest req, Map<String, String> keys, List<Pair> answers) {
        Optional<ChapSecret> ours = policy.targetChap();
        if (ours.isEmpty()) {
            return fail(req, LoginStatus.AUTHENTICATION_FAILURE, "initiator asks for mutual CHAP; target has no secret");
        }
        Integer id = OperationalKeys.number(keys.getOrDefault("CHAP_I", ""), 0, 255);
        byte[] challenge = keys.containsKey("CHAP_C") ? Chap.decodeBinary(keys.get("CHAP_C")) : null;
        if (id == null || challenge == null || challenge.length == 0) {
            return fail(req, LoginStatus.AUTHENTICATION_FAILURE, "malformed mutual CHAP_I or CHAP_C");
        }
        if (MessageDigest.isEqual(challenge, chapChallenge)) {
            // Answering our own challenge back would let a man in the middle reflect it (RFC 7143 12.1.3).
            return fail(req, LoginStatus.AUTHENTICATION_FAILURE, "initiator reflected the target's CHAP challenge");
        }
        answers.add(new Pair("CHAP_N", ours.get().name()));
        answers.add(new Pair("CHAP_R", Chap.encodeHex(Chap.response(id, ours.get().secret(), challenge))));
        return null;
    }

    private static boolean hasChapKeys(Map<String, String> keys) {
        return keys.keySet().stream().anyMatch(k -> k.startsWith("CHAP_"));
    }

    private static boolean isSecurityKey(String k) {
        return k.equals("AuthMethod") || k.startsWith("CHAP_");
    }

    /** Declarations that need no answer. */
    private static boolean isDeclarative(String k) {
        return switch (k) {
            case "InitiatorName", "InitiatorAlias", "TargetName", "SessionType" -> true;
            default -> false;
        };
    }

    private Step fail(Pdu.LoginRequest req, LoginStatus status, String reason) {
        return new Step(response(req, false, 0, List.of(), status), Outcome.FAILED, Optional.empty(), reason);
    }

    private Pdu.LoginResponse response(Pdu.LoginRequest req, boolean transit, int nsg, List<Pair> answers,
            LoginStatus status) {
        return response(req, transit, nsg, answers, status, 0);
    }

    private Pdu.LoginResponse response(Pdu.LoginRequest req, boolean transit, int nsg, List<Pair> answers,
            LoginStatus status, int tsih) {
        int sn = statSn++;
        return new Pdu.LoginResponse(transit, false, req.csg(), transit ? nsg : 0, 0, 0, req.isid(), tsih, req.itt(),
                sn, cmdSn, cmdSn + COMMAND_WINDOW - 1, status.statusClass, status.detail,
                Segment.of(TextKeys.encode(answers)));
    }
}
