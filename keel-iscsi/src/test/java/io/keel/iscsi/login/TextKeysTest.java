package io.keel.iscsi.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.iscsi.login.TextKeys.Pair;
import io.keel.iscsi.login.TextKeys.TextException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextKeysTest {
    private static byte[] text(String s) {
        return s.replace('|', '\0').getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parsesPairsInOrderAndRoundTrips() throws Exception {
        List<Pair> pairs = TextKeys.parse(text("InitiatorName=iqn.x|HeaderDigest=None,CRC32C|X-com.a=|"));
        assertThat(pairs).containsExactly(new Pair("InitiatorName", "iqn.x"), new Pair("HeaderDigest", "None,CRC32C"),
                new Pair("X-com.a", ""));
        assertThat(TextKeys.parse(TextKeys.encode(pairs))).isEqualTo(pairs);
        assertThat(TextKeys.parse(text("A=b|||"))).containsExactly(new Pair("A", "b"));
    }

    @Test
    void refusesMalformedText() {
        assertThatThrownBy(() -> TextKeys.parse(text("A=b"))).isInstanceOf(TextException.class).hasMessageContaining("NUL");
        assertThatThrownBy(() -> TextKeys.parse(text("Ab|"))).isInstanceOf(TextException.class).hasMessageContaining("'='");
        assertThatThrownBy(() -> TextKeys.parse(text("=b|"))).isInstanceOf(TextException.class).hasMessageContaining("length");
        assertThatThrownBy(() -> TextKeys.parse(text("A=1|A=2|"))).isInstanceOf(TextException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> TextKeys.parse(text("A b=1|"))).isInstanceOf(TextException.class).hasMessageContaining("character");
        assertThatThrownBy(() -> TextKeys.parse(text("K".repeat(64) + "=1|"))).isInstanceOf(TextException.class);
        assertThatThrownBy(() -> TextKeys.parse(text("A=" + "v".repeat(256) + "|"))).isInstanceOf(TextException.class)
                .hasMessageContaining("256 bytes");
        assertThatThrownBy(() -> TextKeys.parse(new byte[TextKeys.MAX_TEXT + 1])).isInstanceOf(TextException.class);
    }

    @Test
    void chapValuesMayBeLong() throws Exception {
        String c = "0x" + "ab".repeat(1024);
        assertThat(TextKeys.parse(text("CHAP_C=" + c + "|")).getFirst().value()).isEqualTo(c);
        assertThatThrownBy(() -> TextKeys.parse(text("CHAP_C=" + c + "00|"))).isInstanceOf(TextException.class);
    }
}
