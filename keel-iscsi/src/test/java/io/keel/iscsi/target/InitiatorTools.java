package io.keel.iscsi.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs libiscsi's and QEMU's tools for the real-initiator tests. */
final class InitiatorTools {
    private InitiatorTools() {}

    record Run(int exit, String output) {}

    record Summary(int ran, int passed, int failed, String output) {
        /** The failed tests as "Suite.Test", from CUnit's verbose output (a result may follow log lines). */
        List<String> failures() {
            List<String> out = new ArrayList<>();
            String suite = "";
            String test = null;
            for (String line : output.split("\n")) {
                Matcher s = SUITE.matcher(line);
                Matcher t = TEST.matcher(line);
                if (s.find()) {
                    suite = s.group(1);
                } else if (t.find()) {
                    test = t.group(1);
                }
                if (test != null && line.stripTrailing().endsWith("FAILED")) {
                    out.add(suite + "." + test);
                    test = null;
                }
            }
            return out;
        }
    }

    private static final Pattern SUITE = Pattern.compile("^Suite: (\\S+)");
    private static final Pattern TEST = Pattern.compile("^\\s+Test: (\\S+) \\.\\.\\.");
    private static final Pattern TESTS = Pattern.compile("tests\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)");

    static Summary testCu(Path dir, String suites, String... urls) throws Exception {
        List<String> command = new ArrayList<>(List.of("iscsi-test-cu", "--dataloss", "--verbose", "--test=" + suites));
        command.addAll(List.of(urls));
        Run r = run(dir, 900, command.toArray(String[]::new));
        Matcher m = TESTS.matcher(r.output());
        assertThat(m.find()).as("no CUnit summary from iscsi-test-cu:\n" + r.output()).isTrue();
        return new Summary(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
                r.output());
    }

    /** Output read as ISO-8859-1: some tools print raw designator bytes. */
    static Run run(Path dir, int timeoutSeconds, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "run", ".log");
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s:\n"
                    + Files.readString(log, StandardCharsets.ISO_8859_1));
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.ISO_8859_1));
    }

    static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
