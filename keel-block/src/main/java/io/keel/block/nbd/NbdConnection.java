package io.keel.block.nbd;

import io.keel.block.BlockExports;
import io.keel.block.BlockIoException;
import java.io.IOException;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection from greeting to close. Works over any pair of channels so tests can drive
 * it from memory; the server hands it a socket. Whatever the client sends, {@link #run()} returns
 * (it never throws), logs at most one line for a protocol violation, and releases the device.
 */
final class NbdConnection implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(NbdConnection.class);
    private static final int INPUT_BUFFER = 128 << 10;
    private static final int MAX_RETAINED = 32 << 20;

    private final ReadableByteChannel input;
    private final GatheringByteChannel output;
    private final BlockExports exports;
    private final NbdServerOptions options;
    private final String who;
    private final BufferPool pool;
    private final HandshakeWatch handshakeWatch = new HandshakeWatch();

    NbdConnection(ReadableByteChannel input, GatheringByteChannel output, BlockExports exports,
            NbdServerOptions options, String who) {
        this.input = input;
        this.output = output;
        this.exports = exports;
        this.options = options;
        this.who = who;
        this.pool = new BufferPool(options.maxRequestLength(), Math.min(MAX_RETAINED, options.maxInflightBytes()));
    }

    /** How a connection ended; tests assert on it. */
    enum Outcome { CLIENT_LEFT, PROTOCOL_ERROR, CONNECTION_LOST, INTERNAL_ERROR }

    @Override
    public void run() {
        serve();
    }

    Outcome serve() {
        Handshake.Negotiated negotiated = null;
        try {
            InputBuffer in = new InputBuffer(handshakeWatch.watch(input), INPUT_BUFFER);
            negotiated = new Handshake(in, handshakeWatch.watch(output), exports, options, who).run();
            handshakeWatch.finish();
            if (negotiated == null) {
                log.debug("nbd {}: left during handshake", who);
                return Outcome.CLIENT_LEFT;
            }
            log.debug("nbd {}: serving '{}' flags 0x{}", who, negotiated.exportName(),
                    Integer.toHexString(negotiated.transmissionFlags()));
            ReplyWriter replies = new ReplyWriter(output, e -> {
                log.debug("nbd {}: reply write failed: {}", who, e.toString());
                close();
            });
            new Transmission(in, replies, negotiated.device(), options, pool, who).run(this::close);
            return Outcome.CLIENT_LEFT;
        } catch (NbdProtocolException e) {
            log.warn("nbd {}: protocol error, closing: {}", who, e.getMessage());
            return Outcome.PROTOCOL_ERROR;
        } catch (IOException e) {
            log.debug("nbd {}: connection lost: {}", who, e.toString());
            return Outcome.CONNECTION_LOST;
        } catch (RuntimeException e) {
            log.error("nbd {}: internal error, closing", who, e);
            return Outcome.INTERNAL_ERROR;
        } finally {
            handshakeWatch.finish();
            close();
            if (negotiated != null) {
                try {
                    negotiated.device().close();
                } catch (BlockIoException | RuntimeException e) {
                    log.warn("nbd {}: closing '{}' failed: {}", who, negotiated.exportName(), e.getMessage());
                }
            }
        }
    }

    /** Closes the channels; a blocked read or write in {@link #run()} then fails and the connection winds down. */
    void close() {
        closeQuietly(input);
        closeQuietly(output);
    }

    String who() {
        return who;
    }

    /** For the server's watchdog, which closes a connection whose handshake stalls on the client. */
    HandshakeWatch handshakeWatch() {
        return handshakeWatch;
    }

    /** For tests: the most payload-buffer memory this connection ever held at once. */
    long peakBufferBytes() {
        return pool.peakOutstandingBytes();
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException e) {
            // Nothing useful to do: the connection is going away either way.
        }
    }
}
