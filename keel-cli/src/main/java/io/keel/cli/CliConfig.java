package io.keel.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * What {@code keel login} saves: the API URL, the session token and its expiry, and whether the
 * API's TLS certificate is accepted without verification. Stored as JSON, readable by its owner only.
 */
record CliConfig(String api, String token, String username, String expiresAt, boolean insecure) {
    static final CliConfig EMPTY = new CliConfig(null, null, null, null, false);

    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    /** The file to use: {@code --config}, else {@code $KEEL_CLI_CONFIG}, else {@code $HOME/.config/keel/cli.json}. */
    static Path path(Path option, Map<String, String> env) {
        if (option != null) {
            return option;
        }
        String fromEnv = env.get("KEEL_CLI_CONFIG");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        String home = env.get("HOME");
        if (home == null || home.isBlank()) {
            home = System.getProperty("user.home");
        }
        return Path.of(home, ".config", "keel", "cli.json");
    }

    /** The saved configuration, or {@link #EMPTY} when the file does not exist. */
    static CliConfig load(Path file, ObjectMapper json) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return EMPTY;
        } catch (IOException e) {
            throw new CliException("cannot read the CLI configuration " + file + ": " + e.getMessage(), e);
        }
        if (text.isBlank()) {
            return EMPTY;
        }
        try {
            return json.readValue(text, CliConfig.class);
        } catch (JsonProcessingException e) {
            throw new CliException("cannot read the CLI configuration " + file + ": not valid JSON ("
                    + e.getOriginalMessage() + ")", e);
        }
    }

    /**
     * Writes the configuration to {@code file} with mode 0600 (its directory, when created, 0700),
     * replacing the old file atomically so that no reader sees half a file.
     */
    void save(Path file, ObjectMapper json) {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        boolean posix = Files.getFileAttributeView(dir.getRoot(), java.nio.file.attribute.PosixFileAttributeView.class) != null;
        Path tmp = null;
        try {
            if (!Files.isDirectory(dir)) {
                if (posix) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
                } else {
                    Files.createDirectories(dir);
                }
            }
            tmp = posix
                    ? Files.createTempFile(dir, ".cli-", ".tmp", PosixFilePermissions.asFileAttribute(FILE_MODE))
                    : Files.createTempFile(dir, ".cli-", ".tmp");
            if (posix) {
                Files.setPosixFilePermissions(tmp, FILE_MODE); // whatever the umask did
            }
            Files.writeString(tmp, json.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n");
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (FileAlreadyExistsException e) {
            throw new CliException("cannot save the CLI configuration " + file + ": " + e.getFile() + " is not a directory", e);
        } catch (IOException e) {
            throw new CliException("cannot save the CLI configuration " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    @Override
    public String toString() {
        return "CliConfig[api=" + api + ", username=" + username + ", expiresAt=" + expiresAt
                + ", insecure=" + insecure + ", token=" + (token == null ? "none" : "***") + "]";
    }
}
