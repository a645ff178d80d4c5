package io.keel.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.compute.qemu.AcceleratorMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigLoaderTest {
    @TempDir
    Path dir;

    private final NodeConfigLoader loader = new NodeConfigLoader();

    @Test
    void readsYamlAndResolvesPathsAgainstTheFile() throws IOException {
        Path f = write("""
                name: node7
                dataDir: data
                bindAddress: 127.0.0.1
                apiPort: 9001
                raftPort: 9002
                detectionTime: 5s
                disks:
                  - id: d0
                    path: disks/d0
                """);
        NodeConfig c = loader.load(f, NodeConfigLoader.Overrides.none());
        assertThat(c.name()).isEqualTo("node7");
        assertThat(c.dataDir()).isEqualTo(dir.resolve("data").toAbsolutePath());
        assertThat(c.advertiseAddress()).isEqualTo("127.0.0.1");
        assertThat(c.apiPort()).isEqualTo(9001);
        assertThat(c.detectionTime()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.directoryDisks()).singleElement()
                .satisfies(d -> assertThat(d.path()).isEqualTo(dir.resolve("disks/d0").toAbsolutePath()));
    }

    @Test
    void flagsWinOverTheFile() throws IOException {
        Path f = write("name: a\napiPort: 9001\nraftPort: 9002\n");
        var flags = new NodeConfigLoader.Overrides("b", dir, "127.0.0.1", null, 7001, null, true, null, "20s",
                List.of("x=" + dir.resolve("x")), null, 10900, "30s");
        NodeConfig c = loader.load(f, flags);
        assertThat(c.name()).isEqualTo("b");
        assertThat(c.apiPort()).isEqualTo(7001);
        assertThat(c.raftPort()).isEqualTo(9002);
        assertThat(c.tls()).isTrue();
        assertThat(c.detectionTime()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.directoryDisks()).extracting(d -> d.id()).containsExactly("x");
        assertThat(c.storage().nbdPort()).isEqualTo(10900);
        assertThat(c.storage().gracePeriod()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void storageSettingsHaveDefaultsAndReadRates() throws IOException {
        NodeConfig d = loader.load(write("name: a\n"), NodeConfigLoader.Overrides.none());
        assertThat(d.storage()).isEqualTo(StorageConfig.defaults());
        NodeConfig c = loader.load(write("storage:\n  nbdPort: 0\n  gracePeriod: 2m\n  rebuildRate: 64M\n"
                + "  scrubRate: 1G\n  scrubInterval: 1h\n  diskReserve: 8M\n"), NodeConfigLoader.Overrides.none());
        assertThat(c.storage()).isEqualTo(new StorageConfig(0, Duration.ofMinutes(2), 64L << 20, Duration.ofHours(1),
                1L << 30, 8L << 20));
        assertThatThrownBy(() -> loader.load(write("storage:\n  rebuildRate: fast\n"), NodeConfigLoader.Overrides.none()))
                .hasMessageContaining("storage.rebuildRate must be a positive byte rate");
        assertThatThrownBy(() -> loader.load(write("storage:\n  nbdPrt: 1\n"), NodeConfigLoader.Overrides.none()))
                .hasMessageContaining("nbdPrt");
    }

    @Test
    void computeAcceleratorDefaultsToAutoAndCanBeForced() throws IOException {
        assertThat(loader.load(write("name: a\n"), NodeConfigLoader.Overrides.none()).compute())
                .isEqualTo(ComputeConfig.defaults());
        assertThat(loader.load(write("compute:\n  accelerator: TCG\n"), NodeConfigLoader.Overrides.none())
                .compute().accelerator()).isEqualTo(AcceleratorMode.TCG);
        assertThat(loader.load(write("compute:\n  accelerator: kvm\n"), NodeConfigLoader.Overrides.none())
                .compute().accelerator()).isEqualTo(AcceleratorMode.KVM);
        assertThatThrownBy(() -> loader.load(write("compute:\n  accelerator: xen\n"), NodeConfigLoader.Overrides.none()))
                .hasMessage("compute.accelerator must be auto, kvm or tcg, not 'xen'");
        assertThatThrownBy(() -> loader.load(write("compute:\n  accel: kvm\n"), NodeConfigLoader.Overrides.none()))
                .hasMessageContaining("accel");
    }

    @Test
    void unknownSettingIsRefusedByName() throws IOException {
        Path f = write("name: a\napiProt: 9001\n");
        assertThatThrownBy(() -> loader.load(f, NodeConfigLoader.Overrides.none()))
                .hasMessageContaining("unknown setting 'apiProt'");
    }

    @Test
    void impossibleValuesAreRefusedWithTheReason() throws IOException {
        assertThatThrownBy(() -> loader.load(write("apiPort: 9000\nraftPort: 9000\n"), NodeConfigLoader.Overrides.none()))
                .hasMessageContaining("must differ");
        assertThatThrownBy(() -> loader.load(write("apiPort: 70000\n"), NodeConfigLoader.Overrides.none()))
                .hasMessageContaining("1-65535");
        assertThatThrownBy(() -> loader.load(write("heartbeatInterval: 5s\ndetectionTime: 6s\n"), NodeConfigLoader.Overrides.none()))
                .hasMessageContaining("at least twice");
        assertThatThrownBy(() -> loader.load(write("detectionTime: soon\n"), NodeConfigLoader.Overrides.none()))
                .hasMessageContaining("is not a duration");
        assertThatThrownBy(() -> loader.load(null, new NodeConfigLoader.Overrides(null, dir, null, null, null, null,
                null, null, null, List.of("noequals"), null, null, null)))
                .hasMessageContaining("--disk takes ID=PATH");
        assertThatThrownBy(() -> loader.load(dir.resolve("missing.yaml"), NodeConfigLoader.Overrides.none()))
                .hasMessageContaining("does not exist");
    }

    @Test
    void durationsRoundTrip() {
        for (String s : List.of("500ms", "10s", "5m", "2h", "7d")) {
            assertThat(Durations.format(Durations.parse(s))).isEqualTo(s);
        }
    }

    private Path write(String yaml) throws IOException {
        Path f = Files.createTempFile(dir, "node", ".yaml");
        Files.writeString(f, yaml);
        return f;
    }
}
