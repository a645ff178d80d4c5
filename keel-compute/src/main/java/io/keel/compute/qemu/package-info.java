/**
 * QEMU processes for VMs: which accelerator a node uses ({@link io.keel.compute.qemu.AcceleratorDetector}),
 * what a VM is started with ({@link io.keel.compute.qemu.VmLaunchSpec},
 * {@link io.keel.compute.qemu.QemuCommandLine}), and starting or re-attaching to the process with its
 * QMP connection ({@link io.keel.compute.qemu.QemuLauncher}, {@link io.keel.compute.qemu.QemuProcess}).
 * One QEMU per VM; its sockets and log live under the node's data directory (ADR 0014).
 */
package io.keel.compute.qemu;
