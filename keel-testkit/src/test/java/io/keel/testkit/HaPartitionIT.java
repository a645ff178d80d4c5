package io.keel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.node.embedded.ApiSession;
import io.keel.node.embedded.Poll;
import io.keel.testkit.guest.GuestSerial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, partitions (ADR 0031): three nodes, each in a network namespace of its own behind one
 * bridge ({@link NetnsLab}). A failover VM runs on node2; its guest counts on its serial console
 * and on its data disk, with its boot id. node2's cable is cut while node2 keeps running: node2
 * kills its own QEMU before its leases expire (self-fence), the VM boots elsewhere only after, and
 * the counter shows the two instances never ran at the same time. Healed, node2 starts nothing of
 * its own; at no moment do two QEMUs run the VM (a live migration's incoming one aside).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class HaPartitionIT {
    private static final Duration BOOT = Duration.ofSeconds(120);
    private static final Duration SELF_FENCE_BOUND = Duration.ofSeconds(10);
    private static final Pattern COUNT = Pattern.compile("^COUNT (\\d+) ([0-9a-f]{8})\\s*$", Pattern.MULTILINE);
    /**
     * Counts from what its disk holds, on the disk (first 16 bytes of vdb) and then on the console,
     * with its boot id: an instance that ran alongside another would show in both.
     */
    private static final String COUNTER = "run b=$(cut -c1-8 /proc/sys/kernel/random/boot_id);"
            + " i=$(dd if=/dev/vdb bs=16 count=1 2>/dev/null | head -n1 | tr -dc 0-9); i=${i:-0};"
            + " while true; do i=$((i+1)); echo $i | dd of=/dev/vdb bs=16 count=1 conv=notrunc,fsync 2>/dev/null;"
            + " echo \"COUNT $i $b\" >/dev/ttyS0; sleep 0.2; done >/dev/null 2>&1 &";

    @TempDir
    static Path dir;

    static NetnsLab lab;
    static LocalCluster cluster;
    static ApiSession api;
    static String vmId;
    static String dataVolume;
    static String written;
    static String newHost;
    static String newBoot;
    static String vip;
    static final AtomicInteger mostQemus = new AtomicInteger();
    static final AtomicBoolean watching = new AtomicBoolean(true);
    static Thread watcher;

    @BeforeAll
    static void up() throws Exception {
        lab = NetnsLab.create(3);
        try {
            cluster = LocalCluster.start(dir, lab, "3s");
            api = cluster.api(1);
            vip = lab.spareAddress(100);
            VmTestBed.created(api.post("/api/v1/policies", Map.of("name", "two", "replicas", 2, "failureDomain", "host")));
            VmTestBed.created(api.post("/api/v1/compute", Map.of("nodes", List.of("node1", "node2", "node3"))));
            VmTestBed.created(api.post("/api/v1/flavors", Map.of("name", "ha", "vcpus", 1, "ram", "128M")));
            VmTestBed.bootVolume(cluster, api, "boot-p");
            ApiSession.Reply r = api.post("/api/v1/vms", Map.of("name", "vm-p", "flavor", "ha", "volume", "boot-p",
                    "disks", List.of(Map.of("size", "16M")), "node", "node2", "placement", "failover"));
            assertThat(r.status()).as(r.message()).isEqualTo(201);
            vmId = r.body().path("id").asText();
            for (JsonNode d : r.body().path("disks")) {
                if (!d.path("boot").asBoolean()) {
                    dataVolume = d.path("volume").asText();
                }
            }
            watcher = Thread.ofPlatform().daemon().name("qemu-watch").start(HaPartitionIT::watchQemus);
            Poll.until(BOOT, "vm-p booted on node2", () -> boots(2) > 0);
            try (GuestSerial serial = serial(2)) {
                written = GuestSerial.value(serial.command("write 1048576 1048576 partition vdb",
                        Duration.ofSeconds(60)), "WRITE SHA256 ");
                serial.command(COUNTER, Duration.ofSeconds(10));
            }
            Poll.until(Duration.ofSeconds(30), "the guest counting on node2", () -> counts(2).size() > 5);
        } catch (Exception | Error e) {
            down();
            throw e;
        }
    }

    @AfterAll
    static void down() throws IOException {
        watching.set(false);
        try {
            if (cluster != null) {
                cluster.close("HaPartitionIT");
            }
        } finally {
            if (lab != null) {
                lab.close();
            }
        }
    }

    @Test
    @Order(1)
    void aPartitionedNodeFencesItselfAndTheVmBootsElsewhereOnlyAfterItsLeasesExpired() throws Exception {
        ProcessHandle oldQemu = ProcessHandle.of(qemuPid(2)).orElseThrow();
        long node2 = cluster.pid(2);
        JsonNode leaseBefore = volume(dataVolume);
        assertThat(leaseBefore.path("leaseHolder").asText()).isEqualTo("node2");
        long epochBefore = leaseBefore.path("leaseEpoch").asLong();

        Instant cut = Instant.now();
        lab.partition(2);
        Instant[] leaseEnd = new Instant[1];
        Poll.until(SELF_FENCE_BOUND.plusSeconds(5), "node2 killing its own QEMU", () -> {
            noteLease(leaseEnd);
            return !oldQemu.isAlive();
        });
        Instant fenced = Instant.now();
        Duration selfFence = Duration.between(cut, fenced);
        assertThat(ProcessHandle.of(node2).map(ProcessHandle::isAlive)).as("node2's process keeps running").hasValue(true);
        assertThat(selfFence).as("self-fence delay after the cut").isLessThan(SELF_FENCE_BOUND);
        Path oldLog = runtimeDir(2).resolve("serial.log");
        Instant lastOldWrite = Files.getLastModifiedTime(oldLog).toInstant();
        List<long[]> oldCounts = counts(2);
        long lastOld = oldCounts.getLast()[0];

        Poll.until(Duration.ofSeconds(90), "vm-p running on another node", () -> {
            noteLease(leaseEnd);
            JsonNode v = vm();
            String node = v.path("nodeName").asText();
            if (node.equals("node2") || !v.path("status").asText().equals("ACTIVE")) {
                return false;
            }
            newHost = node;
            return Files.exists(runtimeDir(number(node)).resolve("qemu.pid"));
        });
        int host = number(newHost);
        Instant newStart = ProcessHandle.of(qemuPid(host)).flatMap(p -> p.info().startInstant()).orElseThrow();
        Instant fencedEvent = eventTime("node node2 fenced");
        JsonNode leaseAfter = volume(dataVolume);
        assertThat(leaseEnd[0]).as("node2's write lease on " + dataVolume + " seen in the metadata").isNotNull();
        System.out.printf("partition of node2: its QEMU killed by node2 %.1f s after the cut; its write lease"
                + " expired at +%.1f s; 'fenced' event at +%.1f s; QEMU started on %s at +%.1f s; lease epoch %d -> %d%n",
                selfFence.toMillis() / 1e3, Duration.between(cut, leaseEnd[0]).toMillis() / 1e3,
                Duration.between(cut, fencedEvent).toMillis() / 1e3, newHost,
                Duration.between(cut, newStart).toMillis() / 1e3, epochBefore, leaseAfter.path("leaseEpoch").asLong());
        assertThat(fenced).as("self-fence before node2's write lease expired").isBefore(leaseEnd[0]);
        assertThat(newStart).as("the new QEMU starts after node2's write lease expired").isAfter(leaseEnd[0]);
        assertThat(fenced).as("self-fence before node2's leases expired").isBefore(fencedEvent);
        assertThat(newStart).as("the new QEMU starts after node2's leases expired").isAfter(fencedEvent);
        assertThat(lastOldWrite).as("the old instance's last console write before the new one started")
                .isBefore(newStart);

        Poll.until(BOOT, "vm-p booted on " + newHost, () -> boots(host) > 0);
        System.out.printf("partition of node2: vm-p booted on %s at +%.1f s%n", newHost,
                Duration.between(cut, Instant.now()).toMillis() / 1e3);
        try (GuestSerial serial = serial(host)) {
            assertThat(GuestSerial.value(serial.command("read 1048576 1048576 vdb", Duration.ofSeconds(60)),
                    "READ SHA256 ")).as("the data written before the partition").isEqualTo(written);
            long onDisk = Long.parseLong(GuestSerial.value(serial.command(
                    "run echo DISK $(dd if=/dev/vdb bs=16 count=1 2>/dev/null | head -n1 | tr -dc 0-9)",
                    Duration.ofSeconds(20)), "DISK "));
            // The disk is written first, then the console: the killed instance may have done one without the other.
            assertThat(onDisk).as("the counter on disk against the old console's last " + lastOld)
                    .isBetween(lastOld, lastOld + 1);
            serial.command(COUNTER, Duration.ofSeconds(10));
        }
        Poll.until(Duration.ofSeconds(30), "the guest counting on " + newHost, () -> counts(host).size() > 5);
        List<long[]> fresh = counts(host);
        newBoot = Long.toHexString(fresh.getFirst()[1]);
        assertThat(fresh.getFirst()[1]).as("a new boot").isNotEqualTo(oldCounts.getLast()[1]);
        assertThat(fresh.getFirst()[0]).as("the new instance goes on from the old one's last write")
                .isGreaterThan(lastOld);
        assertIncreasing(fresh);
        assertThat(counts(2).size()).as("nothing more from the fenced instance").isEqualTo(oldCounts.size());
        assertThat(mostQemus.get()).as("QEMUs running vm-p at once").isEqualTo(1);
        assertThat(events()).contains("node node2 lost").contains("node node2 fenced")
                .contains("VM vm-p recovered on");
    }

    @Test
    @Order(2)
    void healedTheNodeRejoinsAndNeverRunsItsOldCopy() throws Exception {
        Instant healed = Instant.now();
        lab.heal(2);
        Poll.until(Duration.ofSeconds(60), "node node2 back online", () -> eventsQuietly().contains("node node2 back online"));
        System.out.printf("heal -> node2 back online after %.1f s%n", Duration.between(healed, Instant.now()).toMillis() / 1e3);
        // A failover VM goes home once its node is back (migrate-back): by live migration, never by a boot.
        Poll.until(Duration.ofSeconds(120), "vm-p back on node2 by live migration", () -> {
            JsonNode v = vm();
            return v.path("nodeName").asText().equals("node2") && v.path("status").asText().equals("ACTIVE")
                    && allQemus().size() == 1;
        });
        System.out.printf("heal -> vm-p running on node2 again after %.1f s%n",
                Duration.between(healed, Instant.now()).toMillis() / 1e3);
        // No boot on node2: the guest there carries on with the boot id that began on the new host
        // (checked below). Its console log is no witness: node2 may keep its folder, with the boot
        // from before the partition, when the migration back arrives before it evicted the VM.
        long before = counts(2).isEmpty() ? 0 : counts(2).getLast()[0];
        Poll.until(Duration.ofSeconds(20), "the counter going on on node2",
                () -> !counts(2).isEmpty() && counts(2).getLast()[0] > before + 3);
        List<long[]> all = counts(2);
        assertThat(Long.toHexString(all.getLast()[1])).as("the boot that began on " + newHost).isEqualTo(newBoot);
        // Only this boot's lines: a log kept from before the partition holds the old boot's too.
        List<long[]> now = all.stream().filter(c -> Long.toHexString(c[1]).equals(newBoot)).toList();
        assertIncreasing(now);
        assertThat(mostQemus.get()).as("QEMUs running vm-p at once").isEqualTo(1);
        assertThat(events()).contains("VM vm-p migrating from " + newHost + " to node2");
    }

    @Test
    @Order(3)
    void theVirtualIpIsSetThroughTheCliAndAnswersOnItsNode() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        LocalCluster.CliResult bad = cluster.cli(home, "cluster", "vip", "set", vip + "/40", "--interface", "eth0");
        assertThat(bad.code()).as(bad.out() + bad.err()).isNotZero();
        assertThat(bad.err()).contains("out of range");
        LocalCluster.CliResult badIface = cluster.cli(home, "cluster", "vip", "set", vip + "/24", "--interface", "eth 0");
        assertThat(badIface.code()).isNotZero();
        assertThat(badIface.err()).contains("interface name");
        assertThat(cluster.cli(home, "cluster", "vip", "show").out()).contains("no virtual IP set");

        Instant set = Instant.now();
        LocalCluster.CliResult ok = cluster.cli(home, "cluster", "vip", "set", vip + "/24", "--interface", "eth0");
        assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
        int holder = awaitVipHolder(Duration.ofSeconds(30), 0);
        System.out.printf("virtual IP set -> on node%d after %.1f s%n", holder,
                Duration.between(set, Instant.now()).toMillis() / 1e3);
        assertThat(cluster.cli(home, "cluster", "vip", "show").out()).contains("address: " + vip + "/24")
                .contains("node: node" + holder).contains("state: started");
        Poll.until(Duration.ofSeconds(10), "the API answering on the VIP", () -> vipApi().healthy());
        // The request made this host resolve the address (a gratuitous ARP only updates an entry it has).
        assertThat(lab.neighbourMac(vip)).isEqualToIgnoringCase(lab.mac(holder));
        assertThat(vipApi().login(io.keel.node.embedded.EmbeddedCluster.USER, cluster.embedded().password()).ok())
                .isTrue();
    }

    @Test
    @Order(4)
    void aPartitionedHolderTakesTheVipOffItselfBeforeAnotherNodeTakesIt() throws Exception {
        int holder = awaitVipHolder(Duration.ofSeconds(30), 0);
        api = apiAvoiding(holder);
        Instant cut = Instant.now();
        lab.partition(holder);
        Instant[] gone = new Instant[1];
        int next = awaitVipHolder(Duration.ofSeconds(60), holder, () -> {
            if (gone[0] == null && !lab.addresses(holder).contains(" " + vip + "/")) {
                gone[0] = Instant.now();
            }
        });
        Instant moved = Instant.now();
        assertThat(gone[0]).as("node" + holder + " took the VIP off itself").isNotNull();
        System.out.printf("partition of the VIP's node%d: it took the VIP off itself after %.1f s; node%d has it"
                + " after %.1f s%n", holder, Duration.between(cut, gone[0]).toMillis() / 1e3, next,
                Duration.between(cut, moved).toMillis() / 1e3);
        assertThat(gone[0]).isBefore(moved);
        Poll.until(Duration.ofSeconds(10), "this host's neighbour entry for the VIP naming node" + next,
                () -> lab.neighbourMac(vip).equalsIgnoreCase(lab.mac(next)));
        Poll.until(Duration.ofSeconds(10), "the API answering on the VIP", () -> vipApi().healthy());

        lab.heal(holder);
        Poll.until(Duration.ofSeconds(60), "node" + holder + " back online",
                () -> eventsQuietly().contains("node node" + holder + " back online"));
        // Back, it may get the VIP back (migrate-back relocates it: off here, then on there), never
        // while another node has it.
        int settled = awaitVipHolder(Duration.ofSeconds(30), 0);
        System.out.printf("after node%d's return the VIP is on node%d%n", holder, settled);
    }

    @Test
    @Order(5)
    void theVipMovesWhenItsNodeLosesPowerAndNeighboursLearnItByGratuitousArp() throws Exception {
        // Settled first: the previous test's returning node may still be taking the VIP back
        // (migrate-back), and this host learns the holder's MAC from its announcement.
        int[] settled = new int[1];
        Poll.until(Duration.ofSeconds(60), "the VIP settled on one node, this host's neighbour entry naming it", () -> {
            List<Integer> holders = vipHolders();
            assertThat(holders).as("nodes holding the VIP").hasSizeLessThanOrEqualTo(1);
            if (holders.size() != 1) {
                return false;
            }
            settled[0] = holders.getFirst();
            // The manager's view too: a VIP it is still moving (migrate-back) or has not seen started
            // is not settled, whatever the addresses say this instant.
            com.fasterxml.jackson.databind.JsonNode view = vipViewQuietly();
            return "started".equals(view.path("state").asText())
                    && ("node" + settled[0]).equals(view.path("node").asText())
                    && vipApi().healthy() && lab.neighbourMac(vip).equalsIgnoreCase(lab.mac(settled[0]))
                    && vipHolders().equals(holders);
        });
        int holder = settled[0];
        api = apiAvoiding(holder);
        Instant off = Instant.now();
        lab.powerOff(holder);
        int next = awaitVipHolder(Duration.ofSeconds(60), holder);
        Instant moved = Instant.now();
        // Before any packet to the VIP: only the new holder's gratuitous ARP can have changed the entry.
        Poll.until(Duration.ofSeconds(5), "this host's neighbour entry for the VIP naming node" + next,
                () -> lab.neighbourMac(vip).equalsIgnoreCase(lab.mac(next)));
        Instant learnt = Instant.now();
        Poll.until(Duration.ofSeconds(10), "the API answering on the VIP", () -> vipApi().healthy());
        System.out.printf("power-off of the VIP's node%d: on node%d after %.1f s, neighbour entry updated %.1f s"
                + " later, API answering on the VIP %.1f s after the power-off%n", holder, next,
                Duration.between(off, moved).toMillis() / 1e3, Duration.between(moved, learnt).toMillis() / 1e3,
                Duration.between(off, Instant.now()).toMillis() / 1e3);
        // Written once the new holder's report reached the manager: a step or two after the move.
        Poll.until(Duration.ofSeconds(20), "the event 'vip:admin recovered on node" + next + "'",
                () -> eventsQuietly().contains("vip:admin recovered on node" + next));
    }

    private static ApiSession vipApi() {
        return new ApiSession("http://" + vip + ":" + cluster.node(1).apiPort());
    }

    /** A session on a node other than {@code avoid}, which is about to be cut off. */
    private static ApiSession apiAvoiding(int avoid) throws IOException {
        return cluster.api(avoid == 1 ? 2 : 1);
    }

    /** The nodes whose eth0 carries the VIP now. */
    private static List<Integer> vipHolders() {
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            if (lab.processes(i).isEmpty()) {
                continue; // powered off: its namespace keeps the address, but nothing answers or announces
            }
            if (lab.addresses(i).contains(" " + vip + "/")) {
                out.add(i);
            }
        }
        return out;
    }

    private static int awaitVipHolder(Duration timeout, int other) throws Exception {
        return awaitVipHolder(timeout, other, () -> { });
    }

    /**
     * Waits for the VIP on one node other than {@code other}, checking at every look that it is
     * never on two reachable nodes at once (a cut-off node counts: its address would still answer
     * once healed).
     */
    private static int awaitVipHolder(Duration timeout, int other, Runnable eachLook) throws Exception {
        int[] found = new int[1];
        Poll.until(timeout, "the VIP on a node other than node" + other, () -> {
            eachLook.run();
            List<Integer> holders = vipHolders();
            assertThat(holders).as("nodes holding the VIP").hasSizeLessThanOrEqualTo(1);
            if (holders.size() == 1 && holders.getFirst() != other) {
                found[0] = holders.getFirst();
                return true;
            }
            return false;
        });
        return found[0];
    }

    /** The latest expiry of node2's write lease on the data volume the metadata has shown. */
    private static void noteLease(Instant[] end) {
        try {
            JsonNode v = volume(dataVolume);
            if (v.path("leaseHolder").asText().equals("node2") && v.hasNonNull("leaseExpiresAt")) {
                Instant at = Instant.parse(v.path("leaseExpiresAt").asText());
                if (end[0] == null || at.isAfter(end[0])) {
                    end[0] = at;
                }
            }
        } catch (IOException e) {
            // The next look will do.
        }
    }

    private static void assertIncreasing(List<long[]> counts) {
        for (int i = 1; i < counts.size(); i++) {
            assertThat(counts.get(i)[0]).isEqualTo(counts.get(i - 1)[0] + 1);
        }
    }

    /** Samples the QEMUs running vm-p; a live migration's incoming QEMU runs nothing yet and is not counted. */
    private static void watchQemus() {
        while (watching.get()) {
            int n = qemus().size();
            mostQemus.accumulateAndGet(n, Math::max);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The QEMUs that booted vm-p (not started for an incoming live migration) and are alive. */
    private static List<ProcessHandle> qemus() {
        return allQemus().stream().filter(p -> p.info().arguments()
                .map(a -> Arrays.stream(a).noneMatch(x -> x.equals("-incoming"))).orElse(false)).toList();
    }

    private static List<ProcessHandle> allQemus() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.contains("qemu-system")).orElse(false))
                .filter(p -> p.info().arguments().map(a -> Arrays.stream(a).anyMatch(x -> x.contains(vmId))).orElse(false))
                .toList();
    }

    /** (count, boot id as a number) of every COUNT line on node {@code node}'s console log of vm-p. */
    private static List<long[]> counts(int node) {
        Matcher m = COUNT.matcher(VmTestBed.read(runtimeDir(node).resolve("serial.log")));
        List<long[]> out = new ArrayList<>();
        while (m.find()) {
            out.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2), 16)});
        }
        return out;
    }

    private static int boots(int node) {
        return VmTestBed.read(runtimeDir(node).resolve("serial.log")).split("KEEL-GUEST-READY", -1).length - 1;
    }

    private static long qemuPid(int node) throws IOException {
        return Long.parseLong(Files.readString(runtimeDir(node).resolve("qemu.pid")).strip());
    }

    private static GuestSerial serial(int node) throws IOException {
        return GuestSerial.connect(runtimeDir(node).resolve("serial.sock"),
                dir.resolve("vm-p-node" + node + "-" + System.nanoTime() + ".log"));
    }

    private static Path runtimeDir(int node) {
        return cluster.node(node).dir().resolve("data").resolve("vms").resolve(vmId);
    }

    private static int number(String node) {
        return Integer.parseInt(node.substring("node".length()));
    }

    private static JsonNode vm() {
        try {
            return api.get("/api/v1/vms/vm-p").body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode volume(String name) throws IOException {
        ApiSession.Reply r = api.get("/api/v1/volumes/" + name);
        assertThat(r.status()).as(r.message()).isEqualTo(200);
        return r.body();
    }

    private static Instant eventTime(String text) throws IOException {
        for (JsonNode e : api.get("/api/v1/events").body().path("events")) {
            if (e.path("text").asText().contains(text)) {
                JsonNode at = e.path("at");
                return at.isNumber() ? Instant.ofEpochMilli(Math.round(at.asDouble() * 1000))
                        : Instant.parse(at.asText());
            }
        }
        throw new AssertionError("no event '" + text + "' in:\n" + events());
    }

    /** The manager's view of the VIP ({@code state}, {@code node}); empty when the API did not answer. */
    private static com.fasterxml.jackson.databind.JsonNode vipViewQuietly() {
        try {
            return api.get("/api/v1/cluster/vip").body();
        } catch (IOException e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    private static String eventsQuietly() {
        try {
            return events();
        } catch (IOException e) {
            return "";
        }
    }

    private static String events() throws IOException {
        StringBuilder out = new StringBuilder();
        api.get("/api/v1/events").body().path("events").forEach(e -> out.append(e.path("at").asText()).append(' ')
                .append(e.path("text").asText()).append('\n'));
        return out.toString();
    }
}
