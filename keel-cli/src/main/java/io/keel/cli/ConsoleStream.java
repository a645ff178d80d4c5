package io.keel.cli;

import java.io.PrintWriter;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The console's side of a {@code keel vm console} session: bytes from the WebSocket printed as they
 * come, decoded as UTF-8 across frame boundaries (a character may be split between two frames).
 */
final class ConsoleStream implements WebSocket.Listener {
    /** How the console side ended: a close frame's status and reason. */
    record Ended(int status, String reason) {}

    private final PrintWriter out;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final CharBuffer chars = CharBuffer.allocate(16 * 1024);
    private final CompletableFuture<Ended> ended = new CompletableFuture<>();
    private ByteBuffer pending = ByteBuffer.allocate(0);

    ConsoleStream(PrintWriter out) {
        this.out = out;
    }

    /** Completes when the server closes the WebSocket; exceptionally when the connection fails. */
    CompletableFuture<Ended> ended() {
        return ended;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        print(data);
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        print(StandardCharsets.UTF_8.encode(data.toString()));
        webSocket.request(1);
        return null;
    }

    // Listener calls never overlap (one message at a time), so the decoder state needs no lock.
    private void print(ByteBuffer data) {
        ByteBuffer in = ByteBuffer.allocate(pending.remaining() + data.remaining()).put(pending).put(data).flip();
        while (true) {
            chars.clear();
            boolean overflow = decoder.decode(in, chars, false).isOverflow();
            out.append(chars.flip());
            if (!overflow) {
                break;
            }
        }
        // What is left is the start of a character whose other bytes are in the next frame.
        pending = ByteBuffer.allocate(in.remaining()).put(in).flip();
        out.flush();
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        ended.complete(new Ended(statusCode, reason == null ? "" : reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        ended.completeExceptionally(error);
    }
}
