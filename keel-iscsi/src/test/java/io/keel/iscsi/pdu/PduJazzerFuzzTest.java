package io.keel.iscsi.pdu;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.keel.iscsi.login.AccessPolicy;
import io.keel.iscsi.login.LoginMachine;
import io.keel.iscsi.login.LoginResult;
import io.keel.iscsi.login.SessionParams;
import io.keel.iscsi.login.TargetCatalog;
import io.keel.iscsi.login.TargetLimits;
import io.keel.iscsi.login.TextKeys;
import io.keel.iscsi.scsi.LogicalUnit;
import io.keel.iscsi.scsi.Luns;
import io.keel.iscsi.scsi.StoredReservations;
import io.keel.iscsi.session.FullFeaturePhase;
import io.keel.iscsi.session.SessionHost;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Coverage-guided fuzz targets. Under plain {@code mvn test} each runs once per stored input in
 * {@code PduJazzerFuzzTestInputs/<method>/} (regression mode); {@code JAZZER_FUZZ=1 mvn test
 * -Dtest=PduJazzerFuzzTest} fuzzes for real and stores crashing inputs there. The only acceptable
 * failures are the protocol's own: {@link PduException}, a truncated stream, a text error, a
 * protocol violation. Anything else would cost a connection its node.
 */
class PduJazzerFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void pduParser(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        boolean digests = (input[0] & 1) != 0;
        FrameReader r = new FrameReader(new ByteArrayInputStream(input, 1, input.length - 1));
        r.configure(digests, digests, 8192);
        try {
            for (Pdu p = r.read(); p != null; p = r.read()) {
                FrameReader again = new FrameReader(new ByteArrayInputStream(FrameWriter.encode(p, digests, digests)));
                again.configure(digests, digests, 8192);
                assertThat(again.read()).isEqualTo(p);
            }
        } catch (PduException | EOFException expected) {
            // A malformed or truncated frame: the connection would be dropped.
        }
    }

    @FuzzTest(maxDuration = "60s")
    void textKeys(byte[] input) throws Exception {
        try {
            List<TextKeys.Pair> pairs = TextKeys.parse(input);
            assertThat(TextKeys.parse(TextKeys.encode(pairs))).isEqualTo(pairs);
        } catch (TextKeys.TextException expected) {
            // Malformed text fails the login or text request.
        }
    }

    @FuzzTest(maxDuration = "60s")
    void login(FuzzedDataProvider data) {
        LoginMachine m = new LoginMachine(CATALOG, TargetLimits.defaults(), new Random(1), () -> 1, 0);
        for (int i = 0; i < 6 && data.remainingBytes() > 0; i++) {
            Pdu.LoginRequest req = new Pdu.LoginRequest(data.consumeBoolean(), data.consumeBoolean(),
                    data.pickValue(new int[] {0, 1}), data.pickValue(new int[] {0, 1, 3}), 0, data.consumeInt(0, 1),
                    1, data.consumeInt(0, 1), 1, 0, 1, 0, Segment.of(data.consumeBytes(data.consumeInt(0, 600))));
            LoginMachine.Step step = m.handle(req);
            assertThat(step.response()).isNotNull();
            if (step.outcome() != LoginMachine.Outcome.CONTINUE) {
                return;
            }
        }
    }

    @FuzzTest(maxDuration = "120s")
    void fullFeature(byte[] input) throws IOException {
        FrameReader r = new FrameReader(new ByteArrayInputStream(input));
        FullFeaturePhase ffp = newSession();
        try {
            for (Pdu p = r.read(); p != null; p = r.read()) {
                if (ffp.handle(p) == FullFeaturePhase.Next.CLOSE) {
                    return;
                }
            }
        } catch (PduException | EOFException | FullFeaturePhase.ProtocolViolation expected) {
            // The connection would be dropped with a log line.
        }
    }

    static final TargetCatalog CATALOG = new TargetCatalog() {
        @Override
        public Optional<AccessPolicy> access(String targetName) {
            return targetName.equals("iqn.2026-12.io.keel:fuzz") ? Optional.of(AccessPolicy.open()) : Optional.empty();
        }

        @Override
        public AccessPolicy discoveryAccess() {
            return AccessPolicy.open();
        }

        @Override
        public int portalGroupTag() {
            return 1;
        }
    };

    /** A session over a 64-block memory LUN, writing its responses nowhere. */
    static FullFeaturePhase newSession() {
        LoginResult login = new LoginResult(false, "iqn.fuzz", "iqn.2026-12.io.keel:fuzz", 1, 1, 0,
                SessionParams.defaults(8192), 1, 1);
        Luns luns = new Luns(Map.of(0, new LogicalUnit(new FuzzLun(), StoredReservations.inMemory())));
        SessionHost host = new SessionHost() {
            @Override
            public Optional<Luns> luns(String targetName) {
                return Optional.of(luns);
            }

            @Override
            public List<String[]> sendTargets(String initiatorName, String localAddress) {
                return List.<String[]>of(new String[] {"iqn.2026-12.io.keel:fuzz", localAddress + ",1"});
            }
        };
        return new FullFeaturePhase(login, new FrameWriter(OutputStream.nullOutputStream()), host, "fuzz",
                "127.0.0.1:3260");
    }
}
