package io.keel.compute.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class QemuCommandLineTest {
    private static final UUID ID = UUID.fromString("1c0ffee0-0000-4000-8000-000000000001");
    private static final Path DIR = Path.of("/var/lib/keel/vms/web1");

    private static VmLaunchSpec spec(List<VmDisk> disks, Accelerator accel) {
        return new VmLaunchSpec("web1", ID, 2, 1024, accel, disks, DIR.resolve("qmp.sock"), DIR.resolve("serial.sock"),
                Optional.of(DIR.resolve("vnc.sock")), true);
    }

    /** The value after each occurrence of {@code option}. */
    private static List<String> values(List<String> argv, String option) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < argv.size() - 1; i++) {
            if (argv.get(i).equals(option)) {
                out.add(argv.get(i + 1));
            }
        }
        return out;
    }

    @Test
    void typicalTcgVmWithBootAndDataDisks() throws Exception {
        List<VmDisk> disks = List.of(VmDisk.boot("root", "nbd://127.0.0.1:10809/vol-root", 0),
                new VmDisk("data", URI.create("nbd://[::1]/vol%20data"), OptionalInt.empty(), true));
        List<String> argv = QemuCommandLine.build(spec(disks, Accelerator.TCG));

        assertThat(argv).startsWith("-nodefaults", "-no-user-config").endsWith("-S");
        assertThat(values(argv, "-name")).containsExactly("guest=web1,debug-threads=on");
        assertThat(values(argv, "-uuid")).containsExactly(ID.toString());
        assertThat(values(argv, "-machine")).containsExactly("q35");
        assertThat(values(argv, "-accel")).containsExactly("tcg");
        assertThat(values(argv, "-cpu")).containsExactly("max");
        assertThat(values(argv, "-m")).containsExactly("1024");
        assertThat(values(argv, "-smp")).containsExactly("2");
        assertThat(values(argv, "-display")).containsExactly("none");
        assertThat(values(argv, "-chardev")).containsExactly(
                "socket,id=qmp,path=/var/lib/keel/vms/web1/qmp.sock,server=on,wait=off",
                "socket,id=serial0,path=/var/lib/keel/vms/web1/serial.sock,server=on,wait=off");
        assertThat(values(argv, "-mon")).containsExactly("chardev=qmp,mode=control");
        assertThat(values(argv, "-serial")).containsExactly("chardev:serial0");
        assertThat(values(argv, "-vnc")).containsExactly("unix:/var/lib/keel/vms/web1/vnc.sock");
        ObjectMapper json = new ObjectMapper();
        List<String> devices = values(argv, "-device");
        assertThat(devices).hasSize(1 + QemuCommandLine.DISK_PORTS + QemuCommandLine.NIC_PORTS + 3);
        assertThat(json.readTree(devices.get(25))).isEqualTo(json.readTree("""
                {"driver":"ide-cd","id":"cd0","bus":"ide.2"}"""));
        assertThat(devices.get(0)).isEqualTo("VGA,id=video0");
        assertThat(devices.get(1)).isEqualTo("pcie-root-port,id=disk-port0,bus=pcie.0,chassis=1,io-reserve=0");
        assertThat(devices.get(QemuCommandLine.DISK_PORTS)).isEqualTo(
                "pcie-root-port,id=disk-port15,bus=pcie.0,chassis=16,io-reserve=0");
        assertThat(devices.get(QemuCommandLine.DISK_PORTS + 1)).isEqualTo(
                "pcie-root-port,id=nic-port0,bus=pcie.0,chassis=17,io-reserve=0");
        assertThat(json.readTree(devices.get(26))).isEqualTo(json.readTree("""
                {"driver":"virtio-blk-pci","id":"root","drive":"root-raw","bootindex":0}"""));
        assertThat(json.readTree(devices.get(27))).isEqualTo(json.readTree("""
                {"driver":"virtio-blk-pci","id":"data","drive":"data-raw"}"""));

        List<JsonNode> nodes = new ArrayList<>();
        for (String b : values(argv, "-blockdev")) {
            nodes.add(json.readTree(b));
        }
        assertThat(nodes).hasSize(4);
        assertThat(nodes.get(0)).isEqualTo(json.readTree("""
                {"driver":"nbd","node-name":"root-nbd","server":{"type":"inet","host":"127.0.0.1","port":"10809"},
                 "export":"vol-root","reconnect-delay":120,"discard":"unmap"}"""));
        assertThat(nodes.get(1)).isEqualTo(json.readTree("""
                {"driver":"raw","node-name":"root-raw","file":"root-nbd","discard":"unmap"}"""));
        assertThat(nodes.get(2)).isEqualTo(json.readTree("""
                {"driver":"nbd","node-name":"data-nbd","server":{"type":"inet","host":"::1","port":"10809"},
                 "export":"vol data","reconnect-delay":120,"discard":"unmap","read-only":true}"""));
        assertThat(nodes.get(3).get("read-only").asBoolean()).isTrue();
    }

    @Test
    void aDiskOnAPortNamesItsBusAndItsNodesSuitBlockdevAdd() throws Exception {
        VmDisk d = VmDisk.data("disk3", "nbd://127.0.0.1:10809/v3").onPort(3);
        ObjectMapper json = new ObjectMapper();
        assertThat(QemuCommandLine.device(d)).isEqualTo(json.readTree("""
                {"driver":"virtio-blk-pci","id":"disk3","drive":"disk3-raw","bus":"disk-port3"}"""));
        assertThat(QemuCommandLine.blockNodes(d)).extracting(n -> n.get("node-name").asText())
                .containsExactly("disk3-nbd", "disk3-raw");
        assertThat(QemuCommandLine.nbdNode(d, "disk3-nbd1").get("node-name").asText()).isEqualTo("disk3-nbd1");
        assertThat(QemuCommandLine.nbdNode(d, "disk3-nbd1").get("export").asText()).isEqualTo("v3");
        assertThat(QemuCommandLine.rawNode(d, "disk3-nbd1")).isEqualTo(json.readTree("""
                {"driver":"raw","node-name":"disk3-raw","file":"disk3-nbd1","discard":"unmap"}"""));
    }

    @Test
    void nicsGetTheirPortsAndBackends() throws Exception {
        VmLaunchSpec s = spec(List.of(), Accelerator.TCG).withNics(List.of(
                new VmNicSpec(0, "52:54:00:00:00:01", new VmNicSpec.Tap("kt1234abcdn0")),
                new VmNicSpec(3, "52:54:00:00:00:02", new VmNicSpec.User())));
        List<String> argv = QemuCommandLine.build(s);
        assertThat(values(argv, "-netdev")).containsExactly(
                "tap,id=net0,ifname=kt1234abcdn0,script=no,downscript=no", "user,id=net3");
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(values(argv, "-device").get(QemuCommandLine.DISK_PORTS + QemuCommandLine.NIC_PORTS + 2)))
                .isEqualTo(json.readTree("""
                        {"driver":"virtio-net-pci","id":"nic3","netdev":"net3","mac":"52:54:00:00:00:02","bus":"nic-port3"}"""));
        assertThat(QemuCommandLine.netdev(s.nics().get(0))).isEqualTo(json.readTree("""
                {"id":"net0","type":"tap","ifname":"kt1234abcdn0","script":"no","downscript":"no"}"""));
        assertThat(QemuCommandLine.netdev(s.nics().get(1))).isEqualTo(json.readTree("""
                {"id":"net3","type":"user"}"""));
        assertThatThrownBy(() -> new VmNicSpec(0, "52:54:00:00:00:0G", new VmNicSpec.User()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not xx:xx");
        assertThatThrownBy(() -> new VmNicSpec.Tap("a,b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.withNics(List.of(new VmNicSpec(1, "52:54:00:00:00:01", new VmNicSpec.User()),
                new VmNicSpec(1, "52:54:00:00:00:02", new VmNicSpec.User())))).hasMessageContaining("two NICs");
    }

    @Test
    void aCdInTheDriveIsReadOnlyAndBootsFirst() throws Exception {
        VmDisk cd = VmDisk.readOnly("cd-i1", "nbd://127.0.0.1:10809/image-x@golden", OptionalInt.of(0));
        List<String> argv = QemuCommandLine.build(spec(List.of(VmDisk.boot("disk0", "nbd://h/v", 1)), Accelerator.TCG)
                .withCdrom(Optional.of(cd)));
        ObjectMapper json = new ObjectMapper();
        assertThat(values(argv, "-device")).filteredOn(d -> d.contains("ide-cd")).singleElement()
                .satisfies(d -> assertThat(json.readTree(d)).isEqualTo(json.readTree("""
                        {"driver":"ide-cd","id":"cd0","bus":"ide.2","drive":"cd-i1-raw","bootindex":0}""")));
        assertThat(values(argv, "-blockdev")).anySatisfy(b -> assertThat(json.readTree(b)).isEqualTo(json.readTree("""
                {"driver":"nbd","node-name":"cd-i1-nbd","server":{"type":"inet","host":"127.0.0.1","port":"10809"},
                 "export":"image-x@golden","reconnect-delay":120,"discard":"unmap","read-only":true}""")));
        assertThatThrownBy(() -> spec(List.of(), Accelerator.TCG).withCdrom(Optional.of(VmDisk.data("cd", "nbd://h/e"))))
                .hasMessageContaining("read-only");
    }

    @Test
    void aPortOutsideTheMachineIsRefused() {
        assertThatThrownBy(() -> VmDisk.data("d", "nbd://h/e").onPort(QemuCommandLine.DISK_PORTS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port must be between 0 and 15");
    }

    @Test
    void kvmPassesTheHostCpuAndNoPauseNoDisplayMeansNeither() {
        VmLaunchSpec s = new VmLaunchSpec("db-2", ID, 4, 4096, Accelerator.KVM, List.of(), DIR.resolve("q"), DIR.resolve("s"),
                Optional.empty(), false);
        List<String> argv = QemuCommandLine.build(s);
        assertThat(values(argv, "-accel")).containsExactly("kvm");
        assertThat(values(argv, "-cpu")).containsExactly("host");
        assertThat(argv).doesNotContain("-S", "-vnc", "-blockdev");
        // Only the empty hot-plug ports: no display, no disk.
        assertThat(values(argv, "-device")).hasSize(QemuCommandLine.DISK_PORTS + QemuCommandLine.NIC_PORTS + 1)
                .filteredOn(d -> !d.startsWith("pcie-root-port,")).containsExactly(
                        "{\"driver\":\"ide-cd\",\"id\":\"cd0\",\"bus\":\"ide.2\"}");
    }

    @Test
    void invalidSpecsAreRefusedWithTheReason() {
        record Case(String expected, Runnable build) {}
        Path q = DIR.resolve("q");
        Path s = DIR.resolve("s");
        List<Case> cases = List.of(
                new Case("VM name 'web 1' must start with a letter or digit", () -> new VmLaunchSpec("web 1", ID, 1, 64,
                        Accelerator.TCG, List.of(), q, s, Optional.empty(), false)),
                new Case("VM name 'a,b'", () -> new VmLaunchSpec("a,b", ID, 1, 64, Accelerator.TCG, List.of(), q, s, Optional.empty(), false)),
                new Case("VM name ''", () -> new VmLaunchSpec("", ID, 1, 64, Accelerator.TCG, List.of(), q, s, Optional.empty(), false)),
                new Case("VM name '" + "x".repeat(65) + "'", () -> new VmLaunchSpec("x".repeat(65), ID, 1, 64, Accelerator.TCG,
                        List.of(), q, s, Optional.empty(), false)),
                new Case("VM v: vCPUs must be between 1 and 255, not 0", () -> new VmLaunchSpec("v", ID, 0, 64, Accelerator.TCG,
                        List.of(), q, s, Optional.empty(), false)),
                new Case("vCPUs must be between 1 and 255, not 256", () -> new VmLaunchSpec("v", ID, 256, 64, Accelerator.TCG,
                        List.of(), q, s, Optional.empty(), false)),
                new Case("memory must be between 16 and 4194304 MiB, not 8", () -> new VmLaunchSpec("v", ID, 1, 8, Accelerator.TCG,
                        List.of(), q, s, Optional.empty(), false)),
                new Case("the QMP socket must be an absolute path: q.sock", () -> new VmLaunchSpec("v", ID, 1, 64, Accelerator.TCG,
                        List.of(), Path.of("q.sock"), s, Optional.empty(), false)),
                new Case("the serial console socket path is longer than the 107 bytes", () -> new VmLaunchSpec("v", ID, 1, 64,
                        Accelerator.TCG, List.of(), q, Path.of("/" + "d".repeat(120)), Optional.empty(), false)),
                new Case("the VNC socket path must not contain commas", () -> new VmLaunchSpec("v", ID, 1, 64, Accelerator.TCG,
                        List.of(), q, s, Optional.of(Path.of("/tmp/a,b")), false)),
                new Case("the QMP, serial and VNC sockets must be different paths", () -> new VmLaunchSpec("v", ID, 1, 64,
                        Accelerator.TCG, List.of(), q, q, Optional.empty(), false)),
                new Case("two disks are named d", () -> new VmLaunchSpec("v", ID, 1, 64, Accelerator.TCG,
                        List.of(VmDisk.data("d", "nbd://h/a"), VmDisk.data("d", "nbd://h/b")), q, s, Optional.empty(), false)),
                new Case("two disks have boot index 0", () -> new VmLaunchSpec("v", ID, 1, 64, Accelerator.TCG,
                        List.of(VmDisk.boot("a", "nbd://h/a", 0), VmDisk.boot("b", "nbd://h/b", 0)), q, s, Optional.empty(), false)),
                new Case("disk name '0disk' must start with a letter", () -> VmDisk.data("0disk", "nbd://h/a")),
                new Case("disk name '" + "d".repeat(25) + "'", () -> VmDisk.data("d".repeat(25), "nbd://h/a")),
                new Case("is not an nbd:// URI", () -> VmDisk.data("d", "http://h/a")),
                new Case("is not an nbd:// URI", () -> VmDisk.data("d", "nbd+unix:///a?socket=/x")),
                new Case("names no export", () -> VmDisk.data("d", "nbd://h:10809/")),
                new Case("names no export", () -> VmDisk.data("d", "nbd://h")),
                new Case("has no server host", () -> VmDisk.data("d", "nbd:///export")),
                new Case("must not have user info, a query or a fragment", () -> VmDisk.data("d", "nbd://h/a?x=1")),
                new Case("has an invalid port 0", () -> VmDisk.data("d", "nbd://h:0/a")),
                new Case("not an NBD URI: 'nbd://h/a b'", () -> VmDisk.data("d", "nbd://h/a b")),
                new Case("boot index must not be negative: -1", () -> VmDisk.boot("d", "nbd://h/a", -1)));
        for (Case c : cases) {
            assertThatThrownBy(c.build()::run).as(c.expected()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(c.expected());
        }
    }

    @Test
    void nbdUrisYieldHostPortAndExport() {
        VmDisk d = VmDisk.data("d", "nbd://[fd00::5]:10811/vol-1%2Fsnap");
        assertThat(d.host()).isEqualTo("fd00::5");
        assertThat(d.port()).isEqualTo(10811);
        assertThat(d.export()).isEqualTo("vol-1/snap");
        assertThat(VmDisk.data("e", "nbd://node1/v").port()).isEqualTo(VmDisk.DEFAULT_NBD_PORT);
    }

    @Test
    void anIncomingMachineWaitsPausedForMigrateIncoming() {
        VmLaunchSpec spec = VmLaunchSpec.minimal("web", Accelerator.TCG, 128, java.nio.file.Path.of("/run/k"));
        assertThat(String.join(" ", QemuCommandLine.build(spec))).doesNotContain("-incoming");
        List<String> args = QemuCommandLine.build(spec.incomingDeferred());
        assertThat(String.join(" ", args)).endsWith("-S -incoming defer");
        assertThatThrownBy(() -> new VmLaunchSpec("web", spec.uuid(), 1, 128, Accelerator.TCG, List.of(),
                spec.qmpSocket(), spec.serialSocket(), java.util.Optional.empty(), true, java.util.Optional.empty(),
                java.util.Optional.of("exec:rm -rf /")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("incoming must be 'defer' or tcp:");
    }
}
