package io.keel.node.compute.stats;

import java.util.OptionalLong;

/**
 * Reads a process's CPU time and resident memory from the text of {@code /proc/PID/stat} and
 * {@code /proc/PID/status} (proc(5)). Pure functions over the file contents, so they are tested
 * with contents captured from real QEMU processes.
 */
public final class ProcStats {
    /**
     * Clock ticks per second in {@code /proc/PID/stat}: USER_HZ, which the kernel fixes at 100 for
     * that interface on every architecture Keel runs on (whatever its internal HZ), and which Java
     * cannot ask sysconf for.
     */
    public static final long TICKS_PER_SECOND = 100;

    private ProcStats() {}

    /**
     * utime + stime (fields 14 and 15) in clock ticks. The command name (field 2) is in parentheses
     * and may itself hold spaces and parentheses, so fields are counted from the last ')'.
     */
    public static long cpuTicks(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/PID/stat line: no command name in parentheses");
        }
        String[] f = stat.substring(close + 1).strip().split("\\s+");
        // f[0] is field 3 (state), so field n is f[n - 3].
        if (f.length < 13) {
            throw new IllegalArgumentException("a /proc/PID/stat line with " + (f.length + 2) + " fields, not 15 or more");
        }
        try {
            return Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("utime/stime in /proc/PID/stat are not numbers: " + e.getMessage(), e);
        }
    }

    /** {@code VmRSS} in bytes; empty for a process without one (a zombie, a kernel thread). */
    public static OptionalLong rssBytes(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] v = line.substring("VmRSS:".length()).strip().split("\\s+");
                if (v.length != 2 || !v[1].equals("kB")) {
                    throw new IllegalArgumentException("VmRSS in /proc/PID/status is not '<n> kB': " + line);
                }
                try {
                    return OptionalLong.of(Long.parseLong(v[0]) * 1024);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("VmRSS in /proc/PID/status is not a number: " + line, e);
                }
            }
        }
        return OptionalLong.empty();
    }
}
