package io.keel.meta.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"my-cluster1", "a", "0", "A-b-C", "x-", "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij123"})
    void acceptsClusterNames(String name) {
        assertThat(Names.validateClusterName(name)).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"my cluster", "clüster", "a_b", "-x", "a.b", "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij1234"})
    void refusesClusterNamesStatingTheRule(String name) {
        assertThat(Names.validateClusterName(name)).hasValueSatisfying(message -> assertThat(message)
                .contains("1-63 Latin letters, digits and hyphens, starting with a letter or digit"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"node1", "node-1.example.com", "n_1", "1node", "N"})
    void acceptsNodeNames(String name) {
        assertThat(Names.validateNodeName(name)).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"-node", ".node", "_node", "node 1", "nöde", "node/1",
        "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij1234"})
    void refusesNodeNames(String name) {
        assertThat(Names.validateNodeName(name)).hasValueSatisfying(message -> assertThat(message)
                .contains("1-63 Latin letters, digits, hyphens, dots and underscores"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Room 1", "Серверная", "Rack A-3 (north)", "x"})
    void acceptsLocationNames(String name) {
        assertThat(Names.validateLocationName(name)).isEmpty();
    }

    @Test
    void locationNamesCountCharactersNotUtf16Units() {
        String sixtyFourEmoji = "\uD83D\uDDA5".repeat(64);
        assertThat(Names.validateLocationName(sixtyFourEmoji)).isEmpty();
        assertThat(Names.validateLocationName(sixtyFourEmoji + "x")).hasValueSatisfying(m ->
                assertThat(m).contains("too long: 65 characters, at most 64"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "a/b", "tab\there", "line\nbreak", "nul\u0000", "sep\u2028"})
    void refusesLocationNames(String name) {
        assertThat(Names.validateLocationName(name)).isPresent();
    }

    @Test
    void idsMayNotHoldSlashesOrSpaces() {
        assertThat(Names.validateId("node id", "0b9e6c5e-1f1a-4c55-9d8e-3f1c2a7b9e10")).isEmpty();
        assertThat(Names.validateId("node id", "a/b")).hasValueSatisfying(m -> assertThat(m).startsWith("node id \"a/b\""));
        assertThat(Names.validateId("node id", "a b")).isPresent();
        assertThat(Names.validateId("node id", "")).contains("node id is required");
        assertThat(Names.validateId("node id", "x".repeat(129))).isPresent();
    }

    @Test
    void quoteEscapesAndShortens() {
        assertThat(Names.quote("a\"b\n")).isEqualTo("\"a\\\"b\\u000a\"");
        assertThat(Names.quote("x".repeat(200))).hasSize(80 + 5).endsWith("...\"");
        assertThat(Names.quote(null)).isEqualTo("null");
    }
}
