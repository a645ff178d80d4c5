package io.keel.node.compute.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class BlockStatsTest {
    /**
     * QEMU 7.2's answer to query-blockstats for a disk laid out as Keel lays them out (-blockdev
     * disk0-nbd, -blockdev raw disk0-raw, -device virtio-blk-pci,id=disk0), with the write
     * counters of a guest that wrote 2 MiB in 3 requests put in.
     */
    static final String REPLY = """
            [{"device": "", "parent": {"stats": {"unmap_operations": 0, "wr_bytes": 0, "rd_bytes": 0,
              "wr_operations": 0, "rd_operations": 0, "flush_operations": 0, "timed_stats": []},
              "node-name": "disk0-nbd"},
              "stats": {"unmap_operations": 0, "unmap_merged": 0, "flush_total_time_ns": 0, "wr_highest_offset": 0,
              "wr_total_time_ns": 0, "failed_wr_operations": 0, "failed_rd_operations": 0, "wr_merged": 0,
              "wr_bytes": 2097152, "timed_stats": [], "failed_unmap_operations": 0, "failed_flush_operations": 0,
              "account_invalid": true, "rd_total_time_ns": 0, "invalid_unmap_operations": 0, "flush_operations": 0,
              "wr_operations": 3, "unmap_bytes": 0, "rd_merged": 0, "rd_bytes": 40960, "unmap_total_time_ns": 0,
              "invalid_flush_operations": 0, "account_failed": true, "rd_operations": 10, "invalid_wr_operations": 0,
              "invalid_rd_operations": 0}, "node-name": "disk0-raw", "qdev": "/machine/peripheral/disk0/virtio-backend"},
             {"device": "", "stats": {"wr_bytes": 0, "rd_bytes": 0, "wr_operations": 0, "rd_operations": 0},
              "node-name": "disk1-raw"}]
            """;

    @Test
    void eachDiskIsNamedByItsDeviceAndCountsWhatTheGuestAskedFor() throws Exception {
        var disks = BlockStats.parse(new ObjectMapper().readTree(REPLY));
        assertThat(disks).containsExactly(new DiskCounters("disk0", 40960, 2097152, 10, 3),
                new DiskCounters("disk1", 0, 0, 0, 0));
    }

    @Test
    void anAnswerThatIsNotAListIsRefused() throws Exception {
        assertThatThrownBy(() -> BlockStats.parse(new ObjectMapper().readTree("{}")))
                .hasMessageContaining("no list");
    }
}
