package io.keel.node.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.ha.HaEvent;
import io.keel.ha.LocalInstance;
import io.keel.meta.cluster.ClusterVip;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VipHandsTest {
    private static final ClusterVip VIP = ClusterVip.parse("10.231.7.100/24", "eth0");

    /** A host with interfaces and their addresses, and a log of the commands run. */
    private static final class FakeHost implements HostCommands {
        final Set<String> interfaces = new LinkedHashSet<>(List.of("eth0"));
        final Set<String> addresses = new LinkedHashSet<>();
        final List<String> commands = new ArrayList<>();
        boolean arpingInstalled = true;

        @Override
        public Result run(List<String> command) throws IOException {
            commands.add(String.join(" ", command));
            if (command.getFirst().equals("arping")) {
                if (!arpingInstalled) {
                    throw new IOException("Cannot run program \"arping\": error=2, No such file or directory");
                }
                return new Result(0, "");
            }
            String dev = command.getLast();
            if (!interfaces.contains(dev)) {
                return new Result(1, "Cannot find device \"" + dev + "\"");
            }
            if (command.contains("show")) {
                StringBuilder out = new StringBuilder();
                addresses.stream().filter(a -> a.endsWith("@" + dev)).forEach(a -> out.append("2: ").append(dev)
                        .append("    inet ").append(a, 0, a.indexOf('@')).append(" scope global ").append(dev).append('\n'));
                return new Result(0, out.toString());
            }
            String entry = command.get(3) + "@" + dev;
            if (command.get(2).equals("add")) {
                return addresses.add(entry) ? new Result(0, "") : new Result(2, "RTNETLINK answers: File exists");
            }
            return addresses.remove(entry) ? new Result(0, "")
                    : new Result(2, "RTNETLINK answers: Cannot assign requested address");
        }
    }

    private final FakeHost host = new FakeHost();
    private final List<HaEvent> events = new ArrayList<>();
    private final VipHands hands = new VipHands("node1", host, events::add, Runnable::run,
            Clock.fixed(Instant.parse("2026-12-03T08:00:00Z"), ZoneOffset.UTC));

    @Test
    void startedItIsOnTheInterfaceAnnouncedAndRunning() {
        hands.configure(Optional.of(VIP));
        assertThat(hands.instances()).isEmpty();
        hands.start();
        assertThat(host.addresses).containsExactly("10.231.7.100/24@eth0");
        assertThat(host.commands).contains("ip addr add 10.231.7.100/24 dev eth0", "arping -U -c 3 -I eth0 10.231.7.100");
        assertThat(hands.instances().get(HaResources.VIP_ID).state()).isEqualTo(LocalInstance.State.RUNNING);
        assertThat(events).isEmpty();
    }

    @Test
    void killedOrStoppedTheAddressIsGone() {
        hands.configure(Optional.of(VIP));
        hands.start();
        hands.remove("killed by the HA manager");
        assertThat(host.addresses).isEmpty();
        assertThat(hands.instances()).isEmpty();
    }

    @Test
    void anAddressTakenOffBehindItsBackIsAFailure() {
        hands.configure(Optional.of(VIP));
        hands.start();
        host.addresses.clear();
        LocalInstance i = hands.instances().get(HaResources.VIP_ID);
        assertThat(i.state()).isEqualTo(LocalInstance.State.FAILED);
        assertThat(i.failure()).contains("no longer on eth0");
    }

    @Test
    void aMissingInterfaceFailsTheStartWithItsReason() {
        hands.configure(Optional.of(ClusterVip.parse("10.231.7.100/24", "eth9")));
        hands.start();
        assertThat(hands.instances().get(HaResources.VIP_ID).failure()).contains("Cannot find device \"eth9\"");
        assertThat(events).singleElement().isInstanceOf(HaEvent.ResourceError.class);
    }

    @Test
    void withoutArpingTheAddressStillMovesAndAnErrorEventSaysWhatToInstall() {
        host.arpingInstalled = false;
        hands.configure(Optional.of(VIP));
        hands.start();
        assertThat(hands.instances().get(HaResources.VIP_ID).state()).isEqualTo(LocalInstance.State.RUNNING);
        assertThat(events).singleElement().isInstanceOfSatisfying(HaEvent.ResourceError.class,
                e -> assertThat(e.reason()).contains("iputils-arping"));
    }

    @Test
    void aChangedOrClearedSettingTakesTheOldAddressOff() {
        hands.configure(Optional.of(VIP));
        hands.start();
        hands.configure(Optional.of(ClusterVip.parse("10.231.7.101/24", "eth0")));
        assertThat(host.addresses).isEmpty();
        hands.start();
        assertThat(host.addresses).containsExactly("10.231.7.101/24@eth0");
        hands.configure(Optional.empty());
        assertThat(host.addresses).isEmpty();
        assertThat(hands.instances()).isEmpty();
    }

    @Test
    void anAddressAlreadyThereAfterARestartIsTakenOver() {
        host.addresses.add("10.231.7.100/24@eth0");
        hands.configure(Optional.of(VIP));
        assertThat(hands.instances().get(HaResources.VIP_ID).state()).isEqualTo(LocalInstance.State.RUNNING);
        // The self-fence of a node that restarted while holding it still takes it off.
        hands.remove("self-fence");
        assertThat(host.addresses).isEmpty();
    }
}
