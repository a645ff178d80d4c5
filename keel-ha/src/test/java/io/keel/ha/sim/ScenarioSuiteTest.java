package io.keel.ha.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.keel.ha.ResourceKinds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every folder under {@code src/test/resources/scenarios}: runs its {@code cmds} in the
 * simulator and compares the event log with {@code expected} exactly. With
 * {@code -Dha.scenarios.update=true} it rewrites the expected files instead; each rewritten file
 * is a specification change and must be read before it is committed.
 */
class ScenarioSuiteTest {
    static final Path ROOT = Path.of("src/test/resources/scenarios");
    private static final boolean UPDATE = Boolean.getBoolean("ha.scenarios.update");

    static List<Path> scenarios() throws IOException {
        try (Stream<Path> dirs = Files.list(ROOT)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("cmds"))).sorted().toList();
        }
    }

    @Test
    void theSuiteHasAtLeastThirtyScenarios() throws IOException {
        assertThat(scenarios()).hasSizeGreaterThanOrEqualTo(30);
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioProducesItsExpectedLog() throws IOException {
        return scenarios().stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> replay(dir)));
    }

    private static void replay(Path dir) throws IOException {
        Scenario scenario = new ScenarioParser(ResourceKinds.builtIn())
                .parse(Files.readString(dir.resolve("cmds"), StandardCharsets.UTF_8));
        String produced = new Simulator(scenario).run();
        Path expectedFile = dir.resolve("expected");
        if (UPDATE) {
            Files.writeString(expectedFile, produced, StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(expectedFile)) {
            fail("no expected log in " + dir + "; produced:\n" + produced);
        }
        String expected = Files.readString(expectedFile, StandardCharsets.UTF_8);
        if (!expected.equals(produced)) {
            fail("scenario " + dir.getFileName() + " differs from its expected log (- expected, + produced):\n"
                    + diff(expected.lines().toList(), produced.lines().toList()));
        }
    }

    /** A line diff by longest common subsequence: small logs, so the quadratic table is fine. */
    static String diff(List<String> a, List<String> b) {
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                out.add("  " + a.get(i++));
                j++;
            } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
                out.add("+ " + b.get(j++));
            } else {
                out.add("- " + a.get(i++));
            }
        }
        return String.join("\n", out);
    }
}
