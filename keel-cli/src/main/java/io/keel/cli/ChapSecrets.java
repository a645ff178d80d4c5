package io.keel.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * CHAP secrets for {@code keel iscsi group access}: from a file or typed twice on the terminal, never
 * from the command line (other users of the machine can read it in the process list). Only secrets
 * that initiators accept pass: open-iscsi and the Windows initiator refuse secrets shorter than 12
 * or longer than 16 characters, and a secret they refuse locks every initiator out.
 */
final class ChapSecrets {
    static final int MIN_LENGTH = 12;
    static final int MAX_LENGTH = 16;

    private final CliContext ctx;

    ChapSecrets(CliContext ctx) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
    }

    /**
     * The secret of {@code what} ("CHAP secret", "mutual CHAP secret") for {@code user}: from
     * {@code file} when given, else asked for on the terminal.
     */
    String read(String what, String user, Path file, String fileOption) {
        String secret = file != null ? fromFile(what, file) : typed(what, user, fileOption);
        check(what, secret);
        if (file != null) {
            warnIfOthersCanRead(file);
        }
        return secret;
    }

    /**
     * Refuses a secret initiators would refuse, without quoting it. Printable ASCII only: initiators
     * differ in how they encode other characters, and the length rule counts bytes.
     */
    static void check(String what, String secret) {
        if (!secret.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new CliException("the " + what + " may hold only printable ASCII characters (letters, digits,"
                    + " punctuation, space): initiators differ in how they encode others");
        }
        if (secret.length() < MIN_LENGTH || secret.length() > MAX_LENGTH) {
            throw new CliException("the " + what + " must be " + MIN_LENGTH + " to " + MAX_LENGTH
                    + " characters long, not " + secret.length()
                    + " (initiators such as open-iscsi and Windows refuse other lengths)");
        }
    }

    /** The file's text minus one trailing line break, which editors and {@code echo} add. */
    private String fromFile(String what, Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CliException("cannot read the " + what + ": no file " + file);
        } catch (IOException e) {
            throw new CliException("cannot read the " + what + " from " + file + ": " + e.getMessage(), e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CliException("cannot read the " + what + " from " + file + ": it is not UTF-8 text");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        if (text.endsWith("\r\n")) {
            text = text.substring(0, text.length() - 2);
        } else if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.isEmpty()) {
            throw new CliException("the " + what + " file " + file + " is empty");
        }
        return text;
    }

    private void warnIfOthersCanRead(Path file) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (IOException | UnsupportedOperationException e) {
            return; // not a POSIX file system: nothing to say
        }
        if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
            ctx.err().println("warning: " + file + " can be read by other users: chmod 600 it");
        }
    }

    private String typed(String what, String user, String fileOption) {
        String prompt = capitalised(what) + " for " + user + " (" + MIN_LENGTH + "-" + MAX_LENGTH + " characters): ";
        char[] first = ctx.passwords().read(prompt).orElseThrow(() -> new CliException(
                "no terminal to read the " + what + " from: use " + fileOption + " FILE"));
        try {
            if (first.length == 0) {
                throw new CliException("no " + what + " typed: nothing was changed");
            }
            // Set on the target and on every initiator by hand: a typo locks everyone out, so ask twice.
            Optional<char[]> again = ctx.passwords().read("Repeat the " + what + ": ");
            char[] second = again.orElse(new char[0]);
            try {
                if (!Arrays.equals(first, second)) {
                    throw new CliException("the two " + what + "s typed differ: nothing was changed");
                }
            } finally {
                Arrays.fill(second, '\0');
            }
            return new String(first);
        } finally {
            Arrays.fill(first, '\0');
        }
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
