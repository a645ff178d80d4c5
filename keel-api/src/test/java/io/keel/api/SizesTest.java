package io.keel.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SizesTest {
    @Test
    void bytesAndBinaryUnits() {
        assertThat(Sizes.parse("size", "4096")).isEqualTo(4096);
        assertThat(Sizes.parse("size", "0")).isZero();
        assertThat(Sizes.parse("size", "512K")).isEqualTo(512L << 10);
        assertThat(Sizes.parse("size", "64M")).isEqualTo(64L << 20);
        assertThat(Sizes.parse("size", "10G")).isEqualTo(10L << 30);
        assertThat(Sizes.parse("size", "2T")).isEqualTo(2L << 40);
    }

    @Test
    void acceptsWhatPeopleTypeAndWhatTheCliPrints() {
        assertThat(Sizes.parse("size", " 10g ")).isEqualTo(10L << 30);
        assertThat(Sizes.parse("size", "10GiB")).isEqualTo(10L << 30);
        assertThat(Sizes.parse("size", "10 GiB")).isEqualTo(10L << 30);
        assertThat(Sizes.parse("size", "10GB")).isEqualTo(10L << 30);
        assertThat(Sizes.parse("size", "100B")).isEqualTo(100);
    }

    @Test
    void malformedSizesNameTheFieldAndTheText() {
        for (String bad : new String[] {"12Q", "-1", "1.5G", "G", "10 G B", "0x10", "10KK"}) {
            assertThatThrownBy(() -> Sizes.parse("size", bad)).as(bad)
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.code()).isEqualTo("invalid");
                    })
                    .hasMessage("size must be a number of bytes or end in K, M, G, T (powers of 1024): \"" + bad + "\"");
        }
        assertThatThrownBy(() -> Sizes.parse("chunkSize", "big")).hasMessageStartingWith("chunkSize must be");
    }

    @Test
    void missingAndTooLarge() {
        assertThatThrownBy(() -> Sizes.parse("size", null)).hasMessage("size is required");
        assertThatThrownBy(() -> Sizes.parse("size", " ")).hasMessage("size is required");
        assertThatThrownBy(() -> Sizes.parse("size", "8388608T")).hasMessage("size is too large: \"8388608T\"");
        assertThatThrownBy(() -> Sizes.parse("size", "99999999999999999999"))
                .hasMessage("size is too large: \"99999999999999999999\"");
        assertThat(Sizes.parse("size", "8388607T")).isEqualTo(8388607L << 40);
    }

    @Test
    void mebibytesForRam() {
        assertThat(Sizes.parseMiB("ram", "512M")).isEqualTo(512);
        assertThat(Sizes.parseMiB("ram", "2G")).isEqualTo(2048);
        assertThat(Sizes.parseMiB("ram", "1048576")).isEqualTo(1);
        assertThatThrownBy(() -> Sizes.parseMiB("ram", "1000K"))
                .hasMessage("ram must be a whole number of MiB (such as 512M or 2G): \"1000K\"");
        assertThatThrownBy(() -> Sizes.parseMiB("ram", "2048T")).hasMessage("ram is too large: \"2048T\"");
        assertThatThrownBy(() -> Sizes.parseMiB("ram", null)).hasMessage("ram is required");
    }
}
