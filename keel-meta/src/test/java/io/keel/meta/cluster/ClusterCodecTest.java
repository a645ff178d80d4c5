package io.keel.meta.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterCodecTest {
    private final ClusterCodec codec = new ClusterCodec();

    @Test
    void samplesCoverEveryCommandType() {
        Set<Class<?>> sampled = CommandSamples.all().stream().map(Object::getClass).collect(Collectors.toSet());
        assertThat(sampled).containsExactlyInAnyOrderElementsOf(concrete(ClusterCommand.class));
    }

    /** The records under a sealed interface, through sealed sub-interfaces such as {@link ClusterCommand.Iscsi}. */
    private static Set<Class<?>> concrete(Class<?> sealed) {
        Set<Class<?>> out = new java.util.HashSet<>();
        for (Class<?> c : sealed.getPermittedSubclasses()) {
            if (c.isSealed()) {
                out.addAll(concrete(c));
            } else {
                out.add(c);
            }
        }
        return out;
    }

    @Test
    void everyCommandRoundTrips() {
        for (ClusterCommand command : CommandSamples.all()) {
            byte[] bytes = codec.encode(command);
            assertThat(codec.decodeCommand(bytes)).as(command.getClass().getSimpleName()).isEqualTo(command);
            assertThat(codec.encode(codec.decodeCommand(bytes))).isEqualTo(bytes);
        }
    }

    @Test
    void resultsRoundTrip() {
        for (CommandResult result : new CommandResult[] {
            new CommandResult.Applied("n1"), new CommandResult.Applied(null),
            new CommandResult.Rejected("conflict", "node name \"a\" is already taken")}) {
            assertThat(codec.decodeResult(codec.encodeResult(result))).isEqualTo(result);
        }
    }

    @Test
    void writesTimesAsIsoStringsAndTypesByName() {
        String json = new String(codec.encode(Fixtures.init()), StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"type\":\"InitCluster\"").contains("\"at\":\"2026-11-22T10:00:00Z\"");
        assertThat(new String(codec.encodeResult(new CommandResult.Applied("x")), StandardCharsets.UTF_8))
                .isEqualTo("{\"result\":\"applied\",\"entityId\":\"x\"}");
    }

    /** Derived isX() helpers must not leak into the JSON, or the strict reader refuses its own output. */
    @Test
    void writesRecordComponentsOnly() {
        String json = new String(codec.write(DiskRole.METADATA), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"type\":\"METADATA\",\"tier\":null,\"checksumming\":false,\"caching\":false}");
        assertThat(codec.read(codec.write(DiskRole.METADATA), DiskRole.class)).isEqualTo(DiskRole.METADATA);
    }

    /** Map.copyOf iterates in a per-JVM random order; replicas must still write identical bytes. */
    @Test
    void mapEntriesAreWrittenInKeyOrderWhateverTheInsertionOrder() {
        Map<String, DiskRole> forward = new LinkedHashMap<>();
        Map<String, DiskRole> backward = new LinkedHashMap<>();
        String[] disks = {"a", "b", "c", "d", "e", "f", "g", "h"};
        for (int i = 0; i < disks.length; i++) {
            forward.put(disks[i], DiskRole.storage(i % 4, false, false));
            String back = disks[disks.length - 1 - i];
            backward.put(back, DiskRole.storage(Arrays.asList(disks).indexOf(back) % 4, false, false));
        }
        NodeRecord a = withRoles(forward);
        NodeRecord b = withRoles(new HashMap<>(backward));
        assertThat(codec.write(a)).isEqualTo(codec.write(b));
        String json = new String(codec.write(a), StandardCharsets.UTF_8);
        assertThat(json.indexOf("\"a\":")).isLessThan(json.indexOf("\"b\":"));
        assertThat(json.indexOf("\"g\":")).isLessThan(json.indexOf("\"h\":"));
    }

    private static NodeRecord withRoles(Map<String, DiskRole> roles) {
        NodeRecord n = Fixtures.node(1);
        return new NodeRecord(n.id(), n.name(), n.address(), n.apiPort(), n.raftPort(), n.secretHash(),
                n.joinedAt(), true, false, n.rackId(), n.inventory(), roles);
    }

    /** A volume stored by a build before volumes had a home must still decode, with no home. */
    @Test
    void aVolumeStoredWithoutAHomeDecodesWithNone() {
        String old = "{\"id\":\"v1\",\"name\":\"disk-1\",\"sizeBytes\":1073741824,\"chunkSize\":67108864,"
                + "\"policy\":\"single\",\"createdAt\":\"2026-11-22T10:00:00Z\",\"generation\":2,\"epoch\":5,"
                + "\"lease\":{\"holder\":\"n1\",\"epoch\":5,\"background\":false,\"expiresAt\":\"2026-11-22T10:01:00Z\"},"
                + "\"origin\":null,\"snapshotOf\":null}";
        Volume v = codec.read(old.getBytes(StandardCharsets.UTF_8), Volume.class);
        assertThat(v.home()).isNull();
        assertThat(v.epoch()).isEqualTo(5);
        assertThat(v.lease().holder()).isEqualTo("n1");
        Volume homed = v.withHome("n1");
        assertThat(codec.read(codec.write(homed), Volume.class)).isEqualTo(homed);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "null", "   ", "[]", "42", "{", "{}", "{\"type\":\"Nope\"}", "not json at all",
        "{\"type\":\"DeleteLocation\",\"id\":\"a\"} trailing",
        "{\"type\":\"DeleteLocation\",\"id\":\"a\",\"id\":\"b\"}",
        "{\"type\":\"DeleteLocation\",\"idd\":\"a\"}",
        "{\"type\":\"AssignDiskRole\",\"nodeId\":\"n1\",\"diskId\":\"d1\",\"role\":{\"type\":\"STORAGE\",\"tier\":9}}",
        "{\"type\":\"SetMaintenance\",\"nodeId\":\"n1\",\"maintenance\":\"sometimes\"}",
        "{\"type\":\"RegisterNode\",\"presentedToken\":\"t\",\"at\":\"yesterday\",\"node\":null}"})
    void malformedCommandsAreIllegalArguments(String text) {
        assertThatThrownBy(() -> codec.decodeCommand(text.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed ClusterCommand");
    }

    @Test
    void randomBytesAreIllegalArguments() {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            assertThatThrownBy(() -> codec.decodeCommand(bytes)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> codec.decodeResult(new byte[] {(byte) 0xff, 0x00}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("malformed CommandResult");
    }

    @Test
    void truncatedCommandsAreIllegalArguments() {
        byte[] whole = codec.encode(CommandSamples.all().get(4));
        for (int length = 0; length < whole.length; length += 7) {
            byte[] cut = Arrays.copyOf(whole, length);
            assertThatThrownBy(() -> codec.decodeCommand(cut)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void secretsRoundTripButNeverPrint() {
        ClusterSecrets secrets = Fixtures.secrets();
        assertThat(codec.read(codec.write(secrets), ClusterSecrets.class)).isEqualTo(secrets);
        assertThat(secrets.toString()).doesNotContain(secrets.tokenSigningKey());
    }

    /** Inventories stored before compute existed have no accelerator; they must still read. */
    @Test
    void anInventoryWithoutAnAcceleratorReadsAsNull() {
        String old = "{\"hostname\":\"h\",\"os\":\"linux\",\"cpuModel\":\"cpu\",\"cpuCores\":2,"
                + "\"memoryBytes\":1024,\"interfaces\":[],\"disks\":[]}";
        Inventory read = codec.read(old.getBytes(StandardCharsets.UTF_8), Inventory.class);
        assertThat(read.accelerator()).isNull();
        assertThat(read.cpuCores()).isEqualTo(2);
        Inventory withOne = read.withAccelerator(new AcceleratorReport("tcg", "auto", "no /dev/kvm"));
        assertThat(codec.read(codec.write(withOne), Inventory.class)).isEqualTo(withOne);
    }
}
