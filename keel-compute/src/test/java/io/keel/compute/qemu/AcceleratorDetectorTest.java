package io.keel.compute.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every branch of the KVM/TCG decision, from temporary files standing in for /dev, /proc and /sys. */
class AcceleratorDetectorTest {
    private static final String INTEL = "processor\t: 0\nmodel name\t: Intel(R) Xeon(R)\nflags\t\t: fpu vme de pse vmx sse4_2 avx\n\n";
    private static final String AMD = "processor\t: 0\nflags\t\t: fpu svm sse2\n";
    // kvm_pvm machines: no hardware virtualisation flag; "vmx" only in a name, which must not count.
    private static final String NO_VIRT = "processor\t: 0\nmodel name\t: vmx-like svm CPU\nflags\t\t: fpu vme sse2 hypervisor\n";

    @TempDir
    Path dir;

    private Path kvm() throws IOException {
        return Files.writeString(dir.resolve("kvm"), "");
    }

    private Path cpuinfo(String text) throws IOException {
        return Files.writeString(dir.resolve("cpuinfo"), text);
    }

    private Path pvm(boolean loaded) throws IOException {
        Path p = dir.resolve("kvm_pvm");
        return loaded ? Files.createDirectories(p) : p;
    }

    @Test
    void usableHardwareKvmIsChosenOnAuto() throws IOException {
        for (String cpu : new String[] {INTEL, AMD}) {
            AcceleratorChoice c = new AcceleratorDetector(kvm(), cpuinfo(cpu), pvm(false)).choose(AcceleratorMode.AUTO);
            assertThat(c.accelerator()).isEqualTo(Accelerator.KVM);
            assertThat(c.mode()).isEqualTo(AcceleratorMode.AUTO);
            assertThat(c.reason()).startsWith("auto: ").contains("is usable", "vmx/svm", "kvm_pvm is not loaded");
        }
    }

    @Test
    void noKvmDeviceMeansTcg() throws IOException {
        AcceleratorChoice c = new AcceleratorDetector(dir.resolve("absent"), cpuinfo(INTEL), pvm(false)).choose(AcceleratorMode.AUTO);
        assertThat(c.accelerator()).isEqualTo(Accelerator.TCG);
        assertThat(c.reason()).isEqualTo("auto: " + dir.resolve("absent") + " does not exist");
    }

    @Test
    void aKvmDeviceThatCannotBeOpenedReadWriteMeansTcg() throws IOException {
        // A directory fails the read-write open even for root, whom permission bits do not stop.
        Path notADevice = Files.createDirectories(dir.resolve("kvmdir"));
        AcceleratorChoice c = new AcceleratorDetector(notADevice, cpuinfo(INTEL), pvm(false)).choose(AcceleratorMode.AUTO);
        assertThat(c.accelerator()).isEqualTo(Accelerator.TCG);
        assertThat(c.reason()).contains(notADevice + " cannot be opened for reading and writing");
    }

    @Test
    void noVmxOrSvmFlagMeansTcg() throws IOException {
        AcceleratorChoice c = new AcceleratorDetector(kvm(), cpuinfo(NO_VIRT), pvm(false)).choose(AcceleratorMode.AUTO);
        assertThat(c.accelerator()).isEqualTo(Accelerator.TCG);
        assertThat(c.reason()).contains("show neither vmx nor svm");
    }

    @Test
    void unreadableCpuinfoMeansTcg() throws IOException {
        AcceleratorChoice c = new AcceleratorDetector(kvm(), dir.resolve("no-cpuinfo"), pvm(false)).choose(AcceleratorMode.AUTO);
        assertThat(c.accelerator()).isEqualTo(Accelerator.TCG);
        assertThat(c.reason()).contains("cannot read " + dir.resolve("no-cpuinfo"));
    }

    @Test
    void kvmPvmMeansTcgEvenWithTheCpuFlag() throws IOException {
        AcceleratorChoice c = new AcceleratorDetector(kvm(), cpuinfo(INTEL), pvm(true)).choose(AcceleratorMode.AUTO);
        assertThat(c.accelerator()).isEqualTo(Accelerator.TCG);
        assertThat(c.reason()).contains("kvm_pvm exists", "guests hang at boot");
    }

    @Test
    void everyReasonIsListed() throws IOException {
        // This machine kind exactly: /dev/kvm opens, but no flag and kvm_pvm loaded.
        AcceleratorChoice c = new AcceleratorDetector(kvm(), cpuinfo(NO_VIRT), pvm(true)).choose(AcceleratorMode.AUTO);
        assertThat(c.accelerator()).isEqualTo(Accelerator.TCG);
        assertThat(c.reason()).contains("neither vmx nor svm").contains("kvm_pvm exists");
    }

    @Test
    void configuredTcgWinsOverUsableKvm() throws IOException {
        AcceleratorChoice c = new AcceleratorDetector(kvm(), cpuinfo(INTEL), pvm(false)).choose(AcceleratorMode.TCG);
        assertThat(c).isEqualTo(new AcceleratorChoice(Accelerator.TCG, AcceleratorMode.TCG, "configured: tcg"));
    }

    @Test
    void configuredKvmIsObeyedAndSaysWhatDetectionFound() throws IOException {
        AcceleratorChoice against = new AcceleratorDetector(kvm(), cpuinfo(NO_VIRT), pvm(true)).choose(AcceleratorMode.KVM);
        assertThat(against.accelerator()).isEqualTo(Accelerator.KVM);
        assertThat(against.reason()).startsWith("configured: kvm, although detection would choose TCG: ").contains("kvm_pvm");
        AcceleratorChoice agrees = new AcceleratorDetector(kvm(), cpuinfo(AMD), dir.resolve("absent-pvm")).choose(AcceleratorMode.KVM);
        assertThat(agrees.reason()).isEqualTo("configured: kvm (detection agrees)");
    }

    @Test
    void modesParseFromConfigurationValues() {
        assertThat(AcceleratorMode.parse("auto")).isEqualTo(AcceleratorMode.AUTO);
        assertThat(AcceleratorMode.parse(" KVM ")).isEqualTo(AcceleratorMode.KVM);
        assertThat(AcceleratorMode.parse("tcg")).isEqualTo(AcceleratorMode.TCG);
        assertThat(AcceleratorMode.TCG.configValue()).isEqualTo("tcg");
        assertThatThrownBy(() -> AcceleratorMode.parse("xen")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("accelerator must be auto, kvm or tcg, not 'xen'");
    }
}
