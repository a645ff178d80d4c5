package io.keel.compute.qemu;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Decides between KVM and TCG. A {@code /dev/kvm} that opens is not enough: on some cloud machines
 * it is a nested software hypervisor ({@code kvm_pvm}) under which guests hang at boot and
 * {@code -cpu host} aborts. KVM is chosen only when the device opens for reading and writing, the CPU
 * shows hardware virtualisation (vmx or svm), and {@code kvm_pvm} is not loaded.
 *
 * <p>The three paths are injected so tests can build every case from temporary files.
 */
public final class AcceleratorDetector {
    private static final Pattern WORDS = Pattern.compile("\\s+");

    private final Path kvmDevice;
    private final Path cpuinfo;
    private final Path kvmPvmModule;

    public AcceleratorDetector(Path kvmDevice, Path cpuinfo, Path kvmPvmModule) {
        this.kvmDevice = Objects.requireNonNull(kvmDevice, "kvmDevice");
        this.cpuinfo = Objects.requireNonNull(cpuinfo, "cpuinfo");
        this.kvmPvmModule = Objects.requireNonNull(kvmPvmModule, "kvmPvmModule");
    }

    /** Looks at this machine's {@code /dev/kvm}, {@code /proc/cpuinfo} and {@code /sys/module/kvm_pvm}. */
    public static AcceleratorDetector forThisHost() {
        return new AcceleratorDetector(Path.of("/dev/kvm"), Path.of("/proc/cpuinfo"), Path.of("/sys/module/kvm_pvm"));
    }

    public AcceleratorChoice choose(AcceleratorMode mode) {
        Objects.requireNonNull(mode, "mode");
        List<String> against = reasonsAgainstKvm();
        return switch (mode) {
            case TCG -> new AcceleratorChoice(Accelerator.TCG, mode, "configured: tcg");
            // The administrator's word wins, but the choice still says what detection found, so a
            // KVM that hangs guests has its explanation next to it.
            case KVM -> new AcceleratorChoice(Accelerator.KVM, mode, against.isEmpty()
                    ? "configured: kvm (detection agrees)"
                    : "configured: kvm, although detection would choose TCG: " + String.join("; ", against));
            case AUTO -> against.isEmpty()
                    ? new AcceleratorChoice(Accelerator.KVM, mode, "auto: " + kvmDevice
                            + " is usable, the CPU has hardware virtualisation (vmx/svm) and kvm_pvm is not loaded")
                    : new AcceleratorChoice(Accelerator.TCG, mode, "auto: " + String.join("; ", against));
        };
    }

    private List<String> reasonsAgainstKvm() {
        List<String> against = new ArrayList<>();
        if (!Files.exists(kvmDevice)) {
            against.add(kvmDevice + " does not exist");
        } else {
            // Opened the way QEMU opens it: permission bits alone say nothing for root, and an
            // open without ioctls creates no VM.
            try (FileChannel _ = FileChannel.open(kvmDevice, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                // Readable and writable.
            } catch (IOException | UnsupportedOperationException e) {
                against.add(kvmDevice + " cannot be opened for reading and writing by this process (" + e.getMessage() + ")");
            }
        }
        try {
            if (!hasHardwareVirtualisation()) {
                against.add("the CPU flags in " + cpuinfo + " show neither vmx nor svm (no hardware virtualisation)");
            }
        } catch (IOException e) {
            against.add("cannot read " + cpuinfo + ": " + e.getMessage());
        }
        if (Files.exists(kvmPvmModule)) {
            against.add(kvmPvmModule + " exists: " + kvmDevice
                    + " is a nested software hypervisor (kvm_pvm) under which guests hang at boot");
        }
        return against;
    }

    private boolean hasHardwareVirtualisation() throws IOException {
        for (String line : Files.readAllLines(cpuinfo)) {
            int colon = line.indexOf(':');
            // x86 names the list "flags"; a vmx/svm elsewhere (say in a model name) means nothing.
            if (colon < 0 || !line.substring(0, colon).strip().equals("flags")) {
                continue;
            }
            for (String flag : WORDS.split(line.substring(colon + 1).strip())) {
                if (flag.equals("vmx") || flag.equals("svm")) {
                    return true;
                }
            }
        }
        return false;
    }
}
