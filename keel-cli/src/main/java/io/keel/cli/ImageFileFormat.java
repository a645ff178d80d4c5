package io.keel.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Guesses an image file's format from its first bytes, for an upload that does not name one: the
 * qcow2 magic "QFI\xfb" at the start, the ISO 9660 signature "CD001" at byte 32769, else raw.
 * The node checks the file with qemu-img anyway; this only decides what the upload declares.
 */
final class ImageFileFormat {
    private static final byte[] QCOW2_MAGIC = {'Q', 'F', 'I', (byte) 0xfb};
    private static final long ISO_SIGNATURE_AT = 32769;

    private ImageFileFormat() {}

    static String detect(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (java.util.Arrays.equals(read(ch, 0, 4), QCOW2_MAGIC)) {
                return "qcow2";
            }
            if ("CD001".equals(new String(read(ch, ISO_SIGNATURE_AT, 5), StandardCharsets.US_ASCII))) {
                return "iso";
            }
            return "raw";
        }
    }

    /** Up to {@code length} bytes at {@code offset}; fewer at the end of the file. */
    private static byte[] read(FileChannel ch, long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining() && ch.read(b, offset + b.position()) > 0) {
            // a short read continues where it stopped
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }
}
