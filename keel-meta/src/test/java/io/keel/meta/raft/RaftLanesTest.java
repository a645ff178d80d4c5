package io.keel.meta.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which lane a call gets. The clients are never used to send, so no server is needed. */
class RaftLanesTest {
    static final List<Peer> PEERS = List.of(new Peer("n1", "127.0.0.1", 1), new Peer("n2", "127.0.0.1", 2),
            new Peer("n3", "127.0.0.1", 3));
    static final Duration SHARE_WAIT = Duration.ofMillis(600);

    final List<String> hints = Collections.synchronizedList(new ArrayList<>());
    final RaftLanes lanes = new RaftLanes(PEERS, this::client, SHARE_WAIT);

    private RaftClient client(List<Peer> peers, RaftPeerId leader) {
        hints.add(leader == null ? "guess" : leader.toString());
        RaftClient.Builder b = RaftClient.newBuilder().setClientId(ClientId.randomId())
                .setRaftGroup(RaftGroup.valueOf(RaftConfig.groupId(UUID.randomUUID().toString()), RaftConfig.toRaft(peers)))
                .setProperties(RaftConfig.client(Duration.ofSeconds(1)));
        if (leader != null) {
            b.setLeaderId(leader);
        }
        return b.build();
    }

    @AfterEach
    void close() {
        lanes.close();
    }

    /** The generation's first call and then one call per lane, all still running. */
    private List<RaftLanes.Call> fill() {
        List<RaftLanes.Call> calls = new ArrayList<>();
        calls.add(lanes.acquire());
        assertThat(calls.getFirst().discoverer()).isTrue();
        for (int i = 1; i < RaftLanes.MAX_LANES; i++) {
            calls.add(lanes.acquire());
        }
        assertThat(calls.stream().map(RaftLanes.Call::lane).distinct()).hasSize(RaftLanes.MAX_LANES);
        return calls;
    }

    @Test
    void whileNoLaneWasAnsweredNewLanesTryEachMemberInTurn() {
        fill();
        // Lane i starts at member i mod 3: one of them finds the leader, whichever it is.
        assertThat(hints).containsExactly("guess", "n2", "n3", "n1", "n2", "n3", "n1", "n2");
    }

    @Test
    void aNewLaneStartsAtTheLeaderAnAnsweredLaneKnows() {
        RaftLanes.Call first = lanes.acquire();
        lanes.release(first, true);
        RaftLanes.Call again = lanes.acquire();
        assertThat(again.lane()).isSameAs(first.lane());
        lanes.acquire();
        assertThat(hints).containsExactly("guess", first.lane().raft.getLeaderId().toString());
    }

    @Test
    void aCallSharesOnlyAnAnsweredLaneWhenEveryLaneIsBusy() throws Exception {
        List<RaftLanes.Call> calls = fill();
        RaftLanes.Call third = calls.get(3);
        lanes.release(third, true);
        RaftLanes.Call retaken = lanes.acquire(); // the idle lane first
        assertThat(retaken.lane()).isSameAs(third.lane());

        long t0 = System.nanoTime();
        RaftLanes.Call shared = lanes.acquire();
        assertThat(shared.lane()).isSameAs(third.lane());
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(SHARE_WAIT);
    }

    @Test
    void aCallWaitsForAnAnswerBeforeSharingAnUnansweredLane() throws Exception {
        List<RaftLanes.Call> calls = fill();
        CompletableFuture<RaftLanes.Call> waiting = CompletableFuture.supplyAsync(lanes::acquire,
                r -> Thread.ofVirtual().start(r));
        assertThat(waiting).isNotDone();
        lanes.release(calls.get(5), false);
        // Released unanswered: idle, so it is taken at once.
        assertThat(waiting.get(SHARE_WAIT.toMillis(), TimeUnit.MILLISECONDS).lane()).isSameAs(calls.get(5).lane());

        long t0 = System.nanoTime();
        RaftLanes.Call late = lanes.acquire();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(SHARE_WAIT.minusMillis(20));
        assertThat(late.lane().inFlight).isEqualTo(2);
    }
}
