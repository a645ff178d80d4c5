package io.keel.node.compute.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcStatsTest {
    /** /proc/PID/stat of a QEMU 7.2 (TCG, q35, 128 MiB) two seconds after its start, on this machine kind. */
    static final String QEMU_STAT = "29647 (qemu-system-x86) S 29645 29643 14015 0 -1 138412416 5235 0 0 0 12 0 0 0"
            + " 20 0 3 0 369448 1432182784 11397 18446744073709551615 94058200743936 94058206604373 140731393231248 0"
            + " 0 0 268444224 4096 16451 0 0 0 17 1 0 0 0 0 0 94058209716472 94058214920624 94058416066560"
            + " 140731393235585 140731393235682 140731393235682 140731393236956 0\n";

    /** The same process's /proc/PID/status, abridged to the lines around the one read. */
    static final String QEMU_STATUS = """
            Name:\tqemu-system-x86
            Umask:\t0022
            State:\tS (sleeping)
            Tgid:\t29647
            VmPeak:\t 1398620 kB
            VmSize:\t 1398616 kB
            VmHWM:\t   50784 kB
            VmRSS:\t   45632 kB
            RssAnon:\t   23288 kB
            RssFile:\t   22344 kB
            Threads:\t3
            """;

    /** A shell's stat line, with system time as well. */
    static final String BASH_STAT = "14015 (bash) S 14014 14015 14015 0 -1 4194560 25817 1127975 0 2 10 13 11509 466"
            + " 20 0 1 0 301589 5365760 1009 18446744073709551615 94319417450496 94319418239901 140723214191264 0 0"
            + " 0 65536 4 1132560123 1 0 0 17 0 0 0 0 0 0 94319418473200 94319418521444 94320440541184"
            + " 140723214195581 140723214195596 140723214195596 140723214196714 0";

    @Test
    void cpuTimeIsUserPlusSystemTicks() {
        assertThat(ProcStats.cpuTicks(QEMU_STAT)).isEqualTo(12);
        assertThat(ProcStats.cpuTicks(BASH_STAT)).isEqualTo(23);
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        String odd = BASH_STAT.replace("(bash)", "(a) b (c)");
        assertThat(ProcStats.cpuTicks(odd)).isEqualTo(23);
    }

    @Test
    void residentMemoryComesFromVmRss() {
        assertThat(ProcStats.rssBytes(QEMU_STATUS)).hasValue(45632L * 1024);
        assertThat(ProcStats.rssBytes("Name:\tkthreadd\nState:\tS (sleeping)\n")).isEmpty();
    }

    @Test
    void malformedContentIsRefusedWithTheReason() {
        assertThatThrownBy(() -> ProcStats.cpuTicks("12 bash S 1")).hasMessageContaining("no command name");
        assertThatThrownBy(() -> ProcStats.cpuTicks("12 (bash) S 1 2")).hasMessageContaining("fields");
        assertThatThrownBy(() -> ProcStats.rssBytes("VmRSS:\t 12 MB\n")).hasMessageContaining("kB");
    }
}
