package io.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.cli.Views.DiskRoleRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HelpersTest {
    @Test
    void sizesAreCheckedAndSentAsTyped() {
        assertThat(Sizes.check(" 10G ")).isEqualTo("10G");
        assertThat(Sizes.check("512m")).isEqualTo("512m");
        assertThat(Sizes.check("1073741824")).isEqualTo("1073741824");
        assertThat(Sizes.check("10 GiB")).isEqualTo("10 GiB");
        for (String bad : new String[] {"12Q", "", "1.5G", "-1", "G", "10KK"}) {
            assertThatThrownBy(() -> Sizes.check(bad)).as(bad)
                    .hasMessage("size must be a number of bytes or end in K, M, G, T (powers of 1024): \"" + bad + "\"");
        }
    }

    @Test
    void roleSpecs() {
        assertThat(DiskRoles.parseSpec("sdb=storage,tier=0,checksum"))
                .isEqualTo(new DiskRoleRequest("sdb", "storage", 0, true, null));
        assertThat(DiskRoles.parseSpec("nvme0n1=metadata+cache,tier=1"))
                .isEqualTo(new DiskRoleRequest("nvme0n1", "metadata+cache", 1, null, null));
        assertThat(DiskRoles.parseSpec("nvme0n1=Metadata-Cache"))
                .isEqualTo(new DiskRoleRequest("nvme0n1", "metadata+cache", null, null, null));
        assertThat(DiskRoles.parseSpec("sdc=storage,no-checksum,caching,tier=3"))
                .isEqualTo(new DiskRoleRequest("sdc", "storage", 3, false, true));
        assertThat(DiskRoles.parseSpec("sda=system")).isEqualTo(new DiskRoleRequest("sda", "system", null, null, null));
        assertThatThrownBy(() -> DiskRoles.parseSpec("sdb=storage,tier=0,tier=1")).hasMessageContaining("tier given twice");
        assertThatThrownBy(() -> DiskRoles.parseSpec("sdb=metadata+cache,cache"))
                .hasMessageContaining("storage role only");
        assertThatThrownBy(() -> DiskRoles.parseSpec("sdb=system,tier=0")).hasMessageContaining("takes no tier");
        assertThatThrownBy(() -> DiskRoles.parseSpec("sdb=storage,tier=-1")).hasMessageContaining("0, 1, 2 or 3");
    }

    @Test
    void durations() {
        assertThat(Durations.parse("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(Durations.parse("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("90S")).isEqualTo(Duration.ofSeconds(90));
        for (String bad : new String[] {"", "24", "h", "1w", "0h", "-1h", "1.5h", "99999999999999999999d"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void formats() {
        assertThat(Format.titleCase("HEALTHY")).isEqualTo("Healthy");
        assertThat(Format.titleCase("MAINTENANCE")).isEqualTo("Maintenance");
        assertThat(Format.titleCase(null)).isEqualTo("-");
        assertThat(Format.age(400L)).isEqualTo("0.4s");
        assertThat(Format.age(12_345L)).isEqualTo("12.3s");
        assertThat(Format.age(75_000L)).isEqualTo("1m15s");
        assertThat(Format.age(7_500_000L)).isEqualTo("2h05m");
        assertThat(Format.age(200_000_000L)).isEqualTo("2d07h");
        assertThat(Format.age(null)).isEqualTo("-");
        assertThat(Format.bytes(512)).isEqualTo("512 B");
        assertThat(Format.bytes(1000204886016L)).isEqualTo("931.5 GiB");
        assertThat(Format.bytes(4000787030016L)).isEqualTo("3.6 TiB");
        assertThat(Format.gib(68719476736L)).isEqualTo("64.0 GiB");
        assertThat(Format.instant("2026-11-23T12:00:00.987654Z")).isEqualTo("2026-11-23T12:00:00Z");
        assertThat(Format.instant("tomorrow")).isEqualTo("tomorrow");
        assertThat(Format.role("storage", 0, true, true)).isEqualTo("storage tier 0 (checksum, cache)");
        assertThat(Format.role("cache", 1, false, false)).isEqualTo("cache tier 1");
        assertThat(Format.role(null, null, false, false)).isEqualTo("-");
        assertThat(Format.hostPort("fd00::1", 8888)).isEqualTo("[fd00::1]:8888");
        assertThat(Format.hostPort("10.0.0.1", 0)).isEqualTo("10.0.0.1");
    }

    @Test
    void tablesAlignColumnsWithoutTrailingSpaces() {
        StringWriter out = new StringWriter();
        new Table("A", "LONG HEADER", "C").row("wide cell", null, "").row("x", "y", "z").print(new PrintWriter(out, true));

        assertThat(out.toString()).isEqualTo("""
                A          LONG HEADER  C
                wide cell  -
                x          y            z
                """);
    }

    @Test
    void apiUrls() {
        assertThat(ApiUrl.normalise("http://127.0.0.1:8888/")).isEqualTo("http://127.0.0.1:8888");
        assertThat(ApiUrl.normalise(" HTTPS://Keel.example:443/base// ")).isEqualTo("https://Keel.example:443/base");
        assertThat(ApiUrl.normalise("http://[fd00::1]:8888")).isEqualTo("http://[fd00::1]:8888");
        for (String bad : new String[] {"", "127.0.0.1:8888", "ftp://x", "http://", "http://u:p@h:1", "http://h:1/?q=1",
                "not a url"}) {
            assertThatThrownBy(() -> ApiUrl.normalise(bad)).as(bad).hasMessageContaining("invalid API URL");
        }
    }

    @Test
    void pathSegmentsAreEncoded() {
        assertThat(ApiClient.segment("node-1.a_b~c")).isEqualTo("node-1.a_b~c");
        assertThat(ApiClient.segment("a b/c?d#é")).isEqualTo("a%20b%2Fc%3Fd%23%C3%A9");
        assertThat(ApiClient.segment("..")).isEqualTo("%2E%2E");
    }

    @Test
    void theConfigNeverShowsItsToken() {
        assertThat(new CliConfig("http://h:1", "secret-token", "u", null, false).toString())
                .doesNotContain("secret-token");
    }
}
