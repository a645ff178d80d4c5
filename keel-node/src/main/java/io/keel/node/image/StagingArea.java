package io.keel.node.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * Where a node keeps an uploaded image file while it is checked and converted: one file per
 * upload under the node's data directory. The body is copied a buffer at a time, so a file far
 * larger than memory is fine, and free space is checked before the first byte (when the client
 * said how many are coming) and again as bytes arrive, keeping {@code reserveBytes} free for the
 * node's own metadata and logs.
 */
public final class StagingArea {
    private static final int BUFFER = 1 << 20;
    private static final long ISO_SIGNATURE_AT = 32769;

    private final Path dir;
    private final long reserveBytes;

    public StagingArea(Path dir, long reserveBytes) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.reserveBytes = reserveBytes;
    }

    /** Deletes files left by uploads that a stopped node never finished. */
    public int clean() throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.part")) {
            for (Path f : files) {
                Files.deleteIfExists(f);
                removed++;
            }
        }
        return removed;
    }

    /**
     * Copies {@code body} into a new staging file named after {@code name}; {@code progress} gets the
     * bytes received so far after every buffer. The caller deletes the file. On any failure the
     * partial file is deleted before the exception leaves.
     *
     * @param contentLength the bytes the client announced, or -1 when it did not say
     */
    public Path receive(String name, InputStream body, long contentLength, LongConsumer progress)
            throws ImageFileException {
        Path file = dir.resolve(name + ".part");
        try {
            Files.createDirectories(dir);
            if (contentLength >= 0) {
                ensureSpace(contentLength);
            }
            long received = 0;
            byte[] buffer = new byte[BUFFER];
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                for (int n; (n = read(body, buffer, received, contentLength)) > 0; ) {
                    if (contentLength >= 0 && received + n > contentLength) {
                        throw ImageFileException.invalid("the upload sent more than the " + contentLength
                                + " bytes it announced");
                    }
                    if (contentLength < 0 && received % (256L << 20) < n) {
                        ensureSpace(BUFFER); // unknown length: look every 256 MiB
                    }
                    out.write(buffer, 0, n);
                    received += n;
                    progress.accept(received);
                }
            }
            if (contentLength >= 0 && received != contentLength) {
                throw ImageFileException.invalid("the upload ended after " + received + " of the " + contentLength
                        + " bytes it announced");
            }
            return file;
        } catch (ImageFileException e) {
            deleteQuietly(file);
            throw e;
        } catch (IOException e) {
            deleteQuietly(file);
            throw new ImageFileException(ImageFileException.Kind.FAILED, "cannot store the upload on this node: "
                    + e.getMessage(), e);
        }
    }

    private static int read(InputStream body, byte[] buffer, long received, long contentLength)
            throws ImageFileException {
        try {
            return body.readNBytes(buffer, 0, buffer.length);
        } catch (IOException e) {
            // The client went away or the connection broke: the file is incomplete.
            throw ImageFileException.invalid("the upload was cut off after " + received + " bytes"
                    + (contentLength >= 0 ? " of " + contentLength : "") + ": " + e.getMessage());
        }
    }

    /** Refuses (NO_SPACE) a file of {@code bytes} that could not be staged now. */
    public void checkSpace(long bytes) throws ImageFileException {
        try {
            Files.createDirectories(dir);
            ensureSpace(bytes);
        } catch (IOException e) {
            throw new ImageFileException(ImageFileException.Kind.FAILED, "cannot look at this node's staging space: "
                    + e.getMessage(), e);
        }
    }

    private void ensureSpace(long needed) throws IOException, ImageFileException {
        long usable = Files.getFileStore(dir).getUsableSpace();
        if (usable - reserveBytes < needed) {
            throw new ImageFileException(ImageFileException.Kind.NO_SPACE, "this node cannot stage the file: it"
                    + " needs " + mib(needed) + " and " + mib(Math.max(0, usable - reserveBytes))
                    + " are free on its data disk (keeping " + mib(reserveBytes) + " in reserve); upload through a"
                    + " node with more space or free some");
        }
    }

    /** Whether the file carries the ISO 9660 volume descriptor signature "CD001" at byte 32769. */
    public static boolean isIso9660(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(5);
            while (b.hasRemaining() && ch.read(b, ISO_SIGNATURE_AT + b.position()) > 0) {
                // a short read continues where it stopped
            }
            return !b.hasRemaining() && new String(b.array(), StandardCharsets.US_ASCII).equals("CD001");
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover is removed by clean() at the next start
        }
    }

    private static String mib(long bytes) {
        return (bytes + (1 << 20) - 1 >> 20) + " MiB";
    }
}
