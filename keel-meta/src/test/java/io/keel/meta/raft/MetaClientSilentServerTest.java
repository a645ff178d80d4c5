package io.keel.meta.raft;

import static io.keel.meta.raft.TestLogic.cmd;
import static io.keel.meta.raft.TestLogic.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.protocol.RaftGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member that lost its power answers no connection attempt, and Ratis' Netty client waits 30 s
 * for one inside the caller's thread. The client must answer within its deadline regardless, and
 * get its calls through the two members left.
 */
class MetaClientSilentServerTest {
    @TempDir
    Path tmp;
    Nodes nodes;
    final List<Socket> filling = new ArrayList<>();
    ServerSocket silent;

    @AfterEach
    void stop() throws IOException {
        for (Socket s : filling) {
            s.close();
        }
        if (silent != null) {
            silent.close();
        }
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void callsGetThroughTheOtherMembersWhileTheFirstOneTriedNeverAnswers() throws Exception {
        nodes = new Nodes(tmp, 3);
        for (int i = 0; i < 3; i++) {
            nodes.start(nodes.node(i), nodes.peers());
        }
        nodes.awaitLeader();
        // The member a fresh Ratis client tries first, whatever the election made of it.
        String firstTried = RaftGroup.valueOf(RaftConfig.groupId(nodes.groupId), RaftConfig.toRaft(nodes.peers()))
                .getPeers().iterator().next().getId().toString();
        Nodes.Node dead = java.util.stream.IntStream.range(0, 3).mapToObj(nodes::node)
                .filter(n -> n.id().equals(firstTried)).findFirst().orElseThrow();
        nodes.stop(dead);
        silent = silentListener(dead.port());
        nodes.awaitLeader();

        MetaClient client = nodes.client(nodes.peers());
        Duration limit = Nodes.TUNING.requestTimeout().plus(MetaClient.OVERDUE_GRACE).plusSeconds(2);
        long start = System.nanoTime();
        String answer = null;
        int calls = 0;
        while (answer == null && System.nanoTime() - start < Duration.ofSeconds(20).toNanos()) {
            long t0 = System.nanoTime();
            try {
                answer = str(client.submit(cmd("put node/a alpha")).result());
            } catch (MetaUnavailableException e) {
                // The first call may be given up on: its outcome is unknown, and the put is idempotent.
            }
            calls++;
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("call %d's duration", calls).isLessThan(limit);
        }
        assertThat(answer).as("a put through the two members left").isEqualTo("ok");
        assertThat(calls).isLessThanOrEqualTo(2);
        assertThat(client.remoteReader().get("node/a")).map(TestLogic::str).contains("alpha");
    }

    /**
     * A listener on {@code port} whose accept queue is full: the kernel drops further SYNs, so a
     * connection attempt waits as it would for a machine without power.
     */
    private ServerSocket silentListener(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        for (int i = 0; i < 4; i++) {
            Socket c = new Socket();
            filling.add(c);
            try {
                c.connect(s.getLocalSocketAddress(), 300);
            } catch (SocketTimeoutException e) {
                break;
            }
        }
        try (Socket probe = new Socket()) {
            probe.connect(s.getLocalSocketAddress(), 300);
            assumeThat(false).as("this kernel accepts connections past a full accept queue").isTrue();
        } catch (SocketTimeoutException expected) {
            // Silent, as intended.
        }
        return s;
    }
}
