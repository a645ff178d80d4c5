package io.keel.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The local terminal in raw mode, so that every key (Ctrl-C included) goes to the VM, as with
 * {@code virsh console}. Done with {@code stty} on {@code /dev/tty}: the JDK has no terminal mode
 * API. {@link #restore} puts back exactly the settings found; a shutdown hook does it too if the
 * JVM is stopped while attached.
 */
final class RawTerminal implements AutoCloseable {
    private static final File TTY = new File("/dev/tty");

    private final String saved;
    private final Thread hook;

    private RawTerminal(String saved) {
        this.saved = saved;
        this.hook = Thread.ofPlatform().unstarted(this::restoreQuietly);
    }

    /** Switches the controlling terminal to raw mode without echo. */
    static RawTerminal enter() {
        String saved = stty("-g").strip();
        RawTerminal terminal = new RawTerminal(saved);
        Runtime.getRuntime().addShutdownHook(terminal.hook);
        try {
            stty("raw", "-echo");
        } catch (CliException e) {
            terminal.close();
            throw e;
        }
        return terminal;
    }

    @Override
    public void close() {
        restoreQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook restores the terminal.
        }
    }

    private void restoreQuietly() {
        try {
            stty(saved);
        } catch (CliException e) {
            System.err.println("warning: " + e.getMessage() + "; run 'stty sane' to repair the terminal");
        }
    }

    private static String stty(String... args) {
        List<String> cmd = new ArrayList<>(List.of("stty"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(TTY).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new CliException("cannot set the terminal mode with 'stty " + String.join(" ", args) + "'");
            }
            return out;
        } catch (IOException e) {
            throw new CliException("cannot run stty to set the terminal mode: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while setting the terminal mode", e);
        }
    }
}
