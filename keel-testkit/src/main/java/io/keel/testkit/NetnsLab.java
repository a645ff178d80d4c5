package io.keel.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A small network for partition tests, built from Linux network namespaces: a "switch" namespace
 * holding a bridge, one namespace per node with a veth into the bridge (named {@code eth0} inside,
 * with the node's address, loopback up), and a veth from this JVM's own namespace into the bridge,
 * so the test and the CLI reach every node directly. Cutting a node's cable on the switch
 * ({@link #partition}) leaves it running and isolated; {@link #powerOff} also kills everything in
 * its namespace, as pulling the plug would.
 *
 * <p>Everything is named after this JVM's pid ({@code kl<pid>...}) and lives in 10.231.N.0/24
 * (N from the pid), a private range this machine does not otherwise use; {@link #close} removes
 * it all, and {@link #create} first removes what an earlier run whose JVM is gone left behind.
 */
public final class NetnsLab implements AutoCloseable {
    private static final String PREFIX = "kl";
    private static final long TIMEOUT_S = 20;

    /** One node's place in the lab: its namespace, its address and its cable's switch end. */
    public record Member(String name, String netns, String address, String switchPort) {
        public Member {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(netns, "netns");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(switchPort, "switchPort");
        }
    }

    private final String tag;
    private final String subnet;
    private final String switchNs;
    private final String hostLink;
    private final List<Member> members;

    private NetnsLab(String tag, String subnet, List<Member> members) {
        this.tag = tag;
        this.subnet = subnet;
        this.switchNs = tag + "-sw";
        this.hostLink = tag + "h";
        this.members = List.copyOf(members);
    }

    /**
     * Builds the lab for {@code nodes} nodes (node1..nodeN). Fails with the reason when network
     * namespaces cannot be made here (not root, no {@code ip}, a kernel without them).
     */
    public static NetnsLab create(int nodes) {
        removeStale();
        long pid = ProcessHandle.current().pid();
        String tag = PREFIX + pid;
        String subnet = "10.231." + (pid % 200 + 20);
        List<Member> members = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            members.add(new Member("node" + i, tag + "-n" + i, subnet + "." + (10 + i), tag + "s" + i));
        }
        NetnsLab lab = new NetnsLab(tag, subnet, members);
        try {
            lab.build();
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    private void build() {
        try {
            ip("netns", "add", switchNs);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("network namespaces are not available here (the partition tests need"
                    + " root and iproute2's 'ip netns'): " + e.getMessage(), e);
        }
        ip("-n", switchNs, "link", "set", "lo", "up");
        ip("-n", switchNs, "link", "add", "br0", "type", "bridge");
        ip("-n", switchNs, "link", "set", "br0", "up");
        // This JVM's cable: its far end goes into the switch, its near end keeps the lab's .1.
        ip("link", "add", hostLink, "type", "veth", "peer", "name", tag + "hb");
        ip("link", "set", tag + "hb", "netns", switchNs);
        ip("-n", switchNs, "link", "set", tag + "hb", "master", "br0", "up");
        ip("addr", "add", hostAddress() + "/24", "dev", hostLink);
        ip("link", "set", hostLink, "up");
        for (Member m : members) {
            ip("netns", "add", m.netns());
            ip("-n", m.netns(), "link", "set", "lo", "up");
            String inside = tag + "x" + m.name().substring("node".length());
            ip("link", "add", inside, "type", "veth", "peer", "name", m.switchPort());
            ip("link", "set", m.switchPort(), "netns", switchNs);
            ip("-n", switchNs, "link", "set", m.switchPort(), "master", "br0", "up");
            ip("link", "set", inside, "netns", m.netns());
            ip("-n", m.netns(), "link", "set", inside, "name", "eth0");
            ip("-n", m.netns(), "addr", "add", m.address() + "/24", "dev", "eth0");
            ip("-n", m.netns(), "link", "set", "eth0", "up");
        }
    }

    public List<Member> members() {
        return members;
    }

    public Member member(int i) {
        return members.get(i - 1);
    }

    /** This JVM's address in the lab. */
    public String hostAddress() {
        return subnet + ".1";
    }

    /** The name of this JVM's interface into the lab (for its neighbour table). */
    public String hostLink() {
        return hostLink;
    }

    /** An address of the lab's subnet no node has: {@code subnet.<last>}, last in 100..250. */
    public String spareAddress(int last) {
        if (last < 100 || last > 250) {
            throw new IllegalArgumentException("a spare address ends in 100..250: " + last);
        }
        return subnet + "." + last;
    }

    /** Cuts node {@code i}'s cable at the switch: the node keeps running, alone. */
    public void partition(int i) {
        ip("-n", switchNs, "link", "set", member(i).switchPort(), "down");
    }

    public void heal(int i) {
        ip("-n", switchNs, "link", "set", member(i).switchPort(), "up");
    }

    /**
     * Pulls node {@code i}'s plug: its cable is cut and every process in its namespace (the node
     * and its QEMUs) is killed with SIGKILL. The cable is cut too because a killed process leaves
     * its namespace's address answering ARP, which a powered-off machine does not.
     */
    public void powerOff(int i) {
        partition(i);
        for (ProcessHandle p : processes(i)) {
            p.destroyForcibly();
            p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> p).join();
        }
    }

    /** The processes running in node {@code i}'s namespace now. */
    public List<ProcessHandle> processes(int i) {
        return pids(member(i).netns());
    }

    /** The MAC address of node {@code i}'s {@code eth0}. */
    public String mac(int i) {
        return linkMac(ip("-n", member(i).netns(), "-o", "link", "show", "eth0"));
    }

    /** The addresses on node {@code i}'s {@code eth0}, as {@code ip -o addr} prints them. */
    public String addresses(int i) {
        return ip("-n", member(i).netns(), "-o", "addr", "show", "dev", "eth0");
    }

    /** This JVM's neighbour entry for {@code address}: its MAC, or "" when there is none. */
    public String neighbourMac(String address) {
        String out = ip("neigh", "show", address, "dev", hostLink).strip();
        int at = out.indexOf("lladdr ");
        return at < 0 ? "" : out.substring(at + "lladdr ".length()).split("\\s+")[0];
    }

    private static String linkMac(String line) {
        int at = line.indexOf("link/ether ");
        if (at < 0) {
            throw new IllegalStateException("no MAC address in: " + line);
        }
        return line.substring(at + "link/ether ".length()).split("\\s+")[0];
    }

    /** Kills what is left in the lab's namespaces and deletes them; never throws. */
    @Override
    public void close() {
        for (Member m : members) {
            pids(m.netns()).forEach(ProcessHandle::destroyForcibly);
        }
        for (Member m : members) {
            quietly("netns", "del", m.netns());
        }
        // Deleting the switch deletes the far ends of every cable, and with them the near ends.
        quietly("netns", "del", switchNs);
        quietly("link", "del", hostLink);
    }

    /** Removes the namespaces of earlier runs whose JVM no longer exists. */
    private static void removeStale() {
        String list;
        try {
            list = ip("netns", "list");
        } catch (IllegalStateException e) {
            return;
        }
        for (String line : list.split("\n")) {
            String ns = line.strip().split("\\s+")[0];
            if (!ns.matches(PREFIX + "\\d+-(sw|n\\d+)")) {
                continue;
            }
            long pid = Long.parseLong(ns.substring(PREFIX.length(), ns.indexOf('-')));
            if (ProcessHandle.of(pid).isPresent()) {
                continue;
            }
            pids(ns).forEach(ProcessHandle::destroyForcibly);
            quietly("netns", "del", ns);
            quietly("link", "del", PREFIX + pid + "h");
        }
    }

    private static List<ProcessHandle> pids(String netns) {
        String out;
        try {
            out = ip("netns", "pids", netns);
        } catch (IllegalStateException e) {
            return List.of();
        }
        List<ProcessHandle> list = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                ProcessHandle.of(Long.parseLong(line.strip())).ifPresent(list::add);
            }
        }
        return list;
    }

    private static void quietly(String... args) {
        try {
            ip(args);
        } catch (IllegalStateException e) {
            // Already gone, or never made: close must go on with the rest.
        }
    }

    /** Runs {@code ip ARGS}; its output, or an exception with what it said when it failed. */
    static String ip(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + ": no answer in " + TIMEOUT_S + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): "
                        + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", cmd) + ": cannot run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", cmd) + ": interrupted", e);
        }
    }

    @Override
    public String toString() {
        return "NetnsLab " + tag + " on " + subnet + ".0/24";
    }
}
