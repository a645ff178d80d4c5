package io.keel.meta.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Random valid and invalid commands, with the invariants checked after every one. Each run
 * draws a fresh seed; a failure names it, and {@code -Dkeel.cluster.seed=<seed>} replays it.
 * Every command is also applied to a second store, whose answers and bytes must not differ.
 */
class RandomisedClusterLogicTest {
    private static final String SEED_PROPERTY = "keel.cluster.seed";
    private static final int RUNS = 6;
    private static final int STEPS = 150;

    @Test
    void invariantsHoldAfterEveryCommand() {
        String fixed = System.getProperty(SEED_PROPERTY);
        List<Long> seeds = new ArrayList<>();
        if (fixed != null) {
            seeds.add(Long.parseLong(fixed.trim()));
        } else {
            SplittableRandom seeder = new SplittableRandom();
            for (int i = 0; i < RUNS; i++) {
                seeds.add(seeder.nextLong());
            }
        }
        Map<String, int[]> outcomes = new TreeMap<>();
        for (long seed : seeds) {
            run(seed, outcomes);
        }
        // The generator is useful only if it reaches both sides of the rules.
        int applied = outcomes.values().stream().mapToInt(o -> o[0]).sum();
        int rejected = outcomes.values().stream().mapToInt(o -> o[1]).sum();
        assertThat(applied).as("applied commands, seeds %s", seeds).isGreaterThan(seeds.size() * 20);
        assertThat(rejected).as("rejected commands, seeds %s", seeds).isGreaterThan(seeds.size() * 20);
    }

    private static void run(long seed, Map<String, int[]> outcomes) {
        Random rnd = new Random(seed);
        RandomCommands commands = new RandomCommands(rnd);
        Harness h = new Harness();
        Harness replica = new Harness();
        for (int step = 0; step < STEPS; step++) {
            ClusterCommand command = commands.next(h.state());
            byte[] bytes = rnd.nextInt(40) == 0 ? garbage(rnd) : h.codec.encode(command);
            String context = "seed " + seed + " (replay with -D" + SEED_PROPERTY + "=" + seed + "), step " + step
                    + ", " + (bytes.length > 0 && bytes[0] == '{' ? command : "garbage bytes");
            var before = h.kv.snapshot();
            int writes = h.kv.writes();
            byte[] answer = h.logic.apply(step, bytes, h.kv);
            assertThat(replica.logic.apply(step, bytes, replica.kv)).as("replica answer, %s", context).isEqualTo(answer);
            CommandResult result = h.codec.decodeResult(answer);
            String type = bytes.length > 0 && bytes[0] == '{' ? command.getClass().getSimpleName() : "garbage";
            int[] counts = outcomes.computeIfAbsent(type, t -> new int[2]);
            if (result instanceof CommandResult.Rejected rejected) {
                counts[1]++;
                assertThat(h.kv.writes()).as("writes of rejected command (%s), %s", rejected, context).isEqualTo(writes);
                assertThat(h.kv.snapshot()).as("state after rejected command, %s", context).isEqualTo(before);
                assertThat(rejected.message()).as(context).isNotBlank().doesNotContain("Exception");
            } else {
                counts[0]++;
            }
            checkInvariants(h.state(), context);
        }
        assertThat(replica.kv.snapshot()).as("replica state, seed %s", seed).isEqualTo(h.kv.snapshot());
    }

    private static byte[] garbage(Random rnd) {
        byte[] bytes = new byte[rnd.nextInt(30)];
        rnd.nextBytes(bytes);
        return bytes;
    }

    static void checkInvariants(ClusterState state, String context) {
        List<NodeRecord> nodes = state.nodes();
        List<Location> locations = state.locations();
        if (state.cluster().isEmpty()) {
            assertThat(nodes).as(context).isEmpty();
            assertThat(locations).as(context).isEmpty();
            return;
        }
        ClusterInfo cluster = state.cluster().orElseThrow();
        assertThat(state.secrets()).as(context).isPresent();
        assertThat(state.joinToken()).as(context).isPresent();
        assertThat(nodes).as("management node, %s", context).anyMatch(n -> n.id().equals(cluster.managementNodeId()));
        checkLocations(locations, context);
        Map<String, Location> byId = new HashMap<>();
        locations.forEach(l -> byId.put(l.id(), l));

        long metadataServices = nodes.stream().filter(NodeRecord::hasMetadataRole).count();
        assertThat(metadataServices).as("metadata services, %s", context).isLessThanOrEqualTo(5);
        if (cluster.hasStorageCluster()) {
            assertThat(metadataServices).as("metadata services, %s", context).isPositive();
        }
        Set<String> names = new HashSet<>();
        Set<String> endpoints = new HashSet<>();
        for (NodeRecord node : nodes) {
            String where = node.id() + ", " + context;
            assertThat(names.add(node.name().toLowerCase(Locale.ROOT))).as("unique name %s", where).isTrue();
            assertThat(endpoints.add(node.address() + ":" + node.apiPort())).as("API endpoint %s", where).isTrue();
            assertThat(endpoints.add(node.address() + ":" + node.raftPort())).as("Raft endpoint %s", where).isTrue();
            assertThat(byId.get(node.rackId())).as("rack of %s", where).isNotNull()
                    .extracting(Location::type).isEqualTo(Location.Type.RACK);
            assertThat(node.diskRoles().values().stream().filter(DiskRole::isMetadata).count())
                    .as("metadata disks of %s", where).isLessThanOrEqualTo(1);
            assertThat(node.diskRoles().values()).as("stored roles of %s", where)
                    .noneMatch(r -> r.type() == DiskRole.Type.NONE);
            if (!node.inCluster()) {
                assertThat(node.diskRoles()).as("roles of unassigned %s", where).isEmpty();
                assertThat(node.maintenance()).as("maintenance of unassigned %s", where).isFalse();
            } else {
                assertThat(cluster.hasStorageCluster()).as(where).isTrue();
            }
            for (Disk disk : node.inventory().disks()) {
                DiskRole.Type role = node.roleOf(disk.id()).type();
                assertThat(role == DiskRole.Type.SYSTEM && !disk.system()).as("system role, %s", where).isFalse();
                assertThat(disk.system() && (role == DiskRole.Type.CACHE || role == DiskRole.Type.METADATA_CACHE))
                        .as("cache on system disk, %s", where).isFalse();
            }
        }
    }

    private static void checkLocations(List<Location> locations, String context) {
        Map<String, Location> byId = new HashMap<>();
        locations.forEach(l -> byId.put(l.id(), l));
        assertThat(byId).as("defaults, %s", context).containsKeys("default-room", "default-row", "default-rack");
        Set<String> siblingNames = new HashSet<>();
        for (Location location : locations) {
            assertThat(Names.validateLocationName(location.name())).as(context).isEmpty();
            assertThat(siblingNames.add(location.parentId() + "/" + location.name()))
                    .as("sibling names unique: %s, %s", location, context).isTrue();
            switch (location.type()) {
                case ROOM -> assertThat(location.parentId()).as(context).isNull();
                case ROW -> assertThat(byId.get(location.parentId())).as("parent of %s, %s", location, context)
                        .isNotNull().extracting(Location::type).isEqualTo(Location.Type.ROOM);
                case RACK -> assertThat(byId.get(location.parentId())).as("parent of %s, %s", location, context)
                        .isNotNull().extracting(Location::type).isEqualTo(Location.Type.ROW);
            }
        }
    }
}
