package io.keel.node.compute.stats;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns QMP {@code query-blockstats} into per-disk counters. Keel's disks are {@code -blockdev}
 * nodes under a {@code virtio-blk-pci} device whose id is the disk name (ADR 0014), so QEMU lists
 * them with an empty {@code device}, the device path in {@code qdev}
 * ({@code /machine/peripheral/disk1/virtio-backend}) and the format node in {@code node-name}
 * ({@code disk1-raw}); the counters are the device's, i.e. what the guest asked for.
 */
public final class BlockStats {
    private static final String PERIPHERAL = "/machine/peripheral/";

    private BlockStats() {}

    public static List<DiskCounters> parse(JsonNode reply) {
        if (reply == null || !reply.isArray()) {
            throw new IllegalArgumentException("query-blockstats returned no list: " + reply);
        }
        List<DiskCounters> out = new ArrayList<>();
        for (JsonNode e : reply) {
            String name = diskName(e);
            JsonNode s = e.path("stats");
            if (name.isEmpty() || !s.isObject()) {
                continue;
            }
            out.add(new DiskCounters(name, s.path("rd_bytes").asLong(), s.path("wr_bytes").asLong(),
                    s.path("rd_operations").asLong(), s.path("wr_operations").asLong()));
        }
        return List.copyOf(out);
    }

    static String diskName(JsonNode e) {
        String qdev = e.path("qdev").asText("");
        if (qdev.startsWith(PERIPHERAL)) {
            String rest = qdev.substring(PERIPHERAL.length());
            int slash = rest.indexOf('/');
            return slash < 0 ? rest : rest.substring(0, slash);
        }
        String device = e.path("device").asText("");
        if (!device.isEmpty()) {
            return device;
        }
        String node = e.path("node-name").asText("");
        return node.endsWith("-raw") ? node.substring(0, node.length() - "-raw".length()) : node;
    }
}
