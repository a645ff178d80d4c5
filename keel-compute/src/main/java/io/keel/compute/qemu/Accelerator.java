package io.keel.compute.qemu;

/** How QEMU runs guest code: in the host kernel's hypervisor, or by translating it in software. */
public enum Accelerator {
    KVM("kvm"),
    TCG("tcg");

    private final String qemuName;

    Accelerator(String qemuName) {
        this.qemuName = qemuName;
    }

    /** The name {@code -accel} takes. */
    public String qemuName() {
        return qemuName;
    }
}
