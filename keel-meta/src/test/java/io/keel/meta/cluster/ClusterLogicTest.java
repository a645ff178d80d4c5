package io.keel.meta.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Behaviour of apply() as a whole: undecodable input, unexpected failures, dry runs. */
class ClusterLogicTest {
    @Test
    void undecodableBytesAreRejectedAsInvalid() {
        Harness h = Harness.withNodes(1);
        assertThat(h.rejectedBytes("garbage".getBytes(StandardCharsets.UTF_8), RejectionCodes.INVALID))
                .startsWith("the command could not be decoded: malformed ClusterCommand");
        h.rejectedBytes(new byte[0], RejectionCodes.INVALID);
        h.rejectedBytes("null".getBytes(StandardCharsets.UTF_8), RejectionCodes.INVALID);
        h.rejectedBytes("{\"type\":\"Shutdown\"}".getBytes(StandardCharsets.UTF_8), RejectionCodes.INVALID);
        Random random = new Random(7);
        for (int i = 0; i < 100; i++) {
            byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            h.rejectedBytes(bytes, RejectionCodes.INVALID);
        }
    }

    /** Corrupt stored state is a bug to report, answered the same on every replica, not an exception. */
    @Test
    void corruptStateIsRejectedNotThrown() {
        Harness h = Harness.withNodes(1);
        h.kv.putRaw("node/broken", "{]");
        assertThat(h.rejected(Fixtures.register(2), RejectionCodes.INVALID))
                .startsWith("internal error while validating RegisterNode")
                .contains("stored value at key 'node/broken' is corrupt")
                .contains("nothing was changed");
    }

    @Test
    void checkAnswersWithoutWriting() {
        Harness h = Harness.withNodes(1);
        int writes = h.kv.writes();
        var before = h.kv.snapshot();
        assertThat(h.logic.check(Fixtures.register(2), h.kv)).isEqualTo(new CommandResult.Applied("n2"));
        assertThat(h.logic.check(Fixtures.init(), h.kv)).isInstanceOfSatisfying(CommandResult.Rejected.class,
                r -> assertThat(r.code()).isEqualTo(RejectionCodes.CONFLICT));
        assertThat(h.kv.writes()).isEqualTo(writes);
        assertThat(h.kv.snapshot()).isEqualTo(before);
    }

    @Test
    void identicalInputGivesIdenticalResultBytes() {
        Harness a = Harness.withNodes(2);
        Harness b = Harness.withNodes(2);
        byte[] command = a.codec.encode(new ClusterCommand.CreateStorageCluster("s", Fixtures.T0, false,
                java.util.List.of("n1", "n2"), java.util.Map.of("n1", java.util.Map.of("d1", DiskRole.METADATA,
                        "ssd", DiskRole.METADATA))));
        assertThat(a.logic.apply(1, command, a.kv)).isEqualTo(b.logic.apply(1, command, b.kv));
    }
}
