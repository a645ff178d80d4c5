package io.keel.iscsi.session;

import io.keel.iscsi.login.LoginResult;
import io.keel.iscsi.login.TextKeys;
import io.keel.iscsi.login.TextKeys.Pair;
import io.keel.iscsi.pdu.Opcode;
import io.keel.iscsi.pdu.Pdu;
import io.keel.iscsi.pdu.Segment;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Text requests in the full feature phase: SendTargets (RFC 7143 Appendix C) and nothing else. */
final class TextExchange {
    private final SessionHost host;
    private final LoginResult login;
    private final String localAddress;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    TextExchange(SessionHost host, LoginResult login, String localAddress) {
        this.host = host;
        this.login = login;
        this.localAddress = localAddress;
    }

    Optional<Pdu.TextResponse> handle(Pdu.TextRequest t, int statSn, int expCmdSn, int maxCmdSn)
            throws FullFeaturePhase.ProtocolViolation {
        pending.writeBytes(t.data().bytes());
        if (pending.size() > TextKeys.MAX_TEXT) {
            throw new FullFeaturePhase.ProtocolViolation("text request exceeds " + TextKeys.MAX_TEXT + " bytes");
        }
        if (t.cont()) {
            return Optional.of(new Pdu.TextResponse(false, false, t.lun(), t.itt(), Opcode.NO_TAG, statSn, expCmdSn,
                    maxCmdSn, Segment.EMPTY));
        }
        List<Pair> offers;
        try {
            offers = TextKeys.parse(pending.toByteArray());
        } catch (TextKeys.TextException e) {
            throw new FullFeaturePhase.ProtocolViolation("bad text request: " + e.getMessage());
        } finally {
            pending.reset();
        }
        List<Pair> answers = new ArrayList<>();
        for (Pair p : offers) {
            if (p.key().equals("SendTargets")) {
                for (String[] target : host.sendTargets(login.initiatorName(), localAddress)) {
                    if (p.value().equals("All") || p.value().equals(target[0])
                            || (p.value().isEmpty() && target[0].equals(login.targetName()))) {
                        answers.add(new Pair("TargetName", target[0]));
                        for (int i = 1; i < target.length; i++) {
                            answers.add(new Pair("TargetAddress", target[i]));
                        }
                    }
                }
            } else {
                answers.add(new Pair(p.key(), "NotUnderstood"));
            }
        }
        // TextKeys rejects a key twice in a request, but SendTargets answers repeat TargetName.
        byte[] body = encode(answers);
        return Optional.of(new Pdu.TextResponse(true, false, t.lun(), t.itt(), Opcode.NO_TAG, statSn, expCmdSn,
                maxCmdSn, Segment.of(body)));
    }

    private static byte[] encode(List<Pair> pairs) {
        return TextKeys.encode(pairs);
    }
}
