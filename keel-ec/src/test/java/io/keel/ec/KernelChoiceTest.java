package io.keel.ec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Which kernel a JVM's codecs get, decided in fresh JVMs started with the options under test. */
class KernelChoiceTest {
    /** Prints the name of {@link Kernel#best()}: the entry point of the child JVMs. */
    public static void main(String[] args) {
        System.out.println("KERNEL " + Kernel.best().name());
    }

    private static String bestIn(String... jvmOptions) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector"));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), KernelChoiceTest.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out.lines().filter(l -> l.startsWith("KERNEL ")).findFirst().orElse(out);
    }

    @Test
    void aJvmWithoutC2GetsTheScalarKernelAndOneWithItTheVectorKernel() throws Exception {
        assertThat(bestIn("-XX:TieredStopAtLevel=1")).isEqualTo("KERNEL scalar");
        assertThat(bestIn("-Xint")).isEqualTo("KERNEL scalar");
        // Where the CPU has SIMD wide enough (every machine this project runs on).
        if (Kernel.vector().isPresent()) {
            assertThat(bestIn()).startsWith("KERNEL vector");
        }
    }
}
