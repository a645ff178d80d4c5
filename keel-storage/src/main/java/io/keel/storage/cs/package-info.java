/**
 * The chunk service protocol: {@link io.keel.storage.cs.ChunkServer} serves a chunk store over
 * TCP, {@link io.keel.storage.cs.ChunkClient} is the matching client.
 *
 * <p>Layers, bottom up: {@link io.keel.storage.cs.FrameCodec} (bytes to {@link
 * io.keel.storage.cs.Message}s and back, strictly validated, see there for the frame layout);
 * {@code FrameReader} (cuts a stream into frames); {@code ServerConnection} and the client's
 * reader (framing, pipelining by request id); {@code RequestHandler} (messages to store calls,
 * exceptions to typed {@link io.keel.storage.cs.Reply.Failure} replies).
 *
 * <p>A connection begins with HELLO (protocol version; the reply gives the chunk and block
 * size). After that the client may send any number of requests without waiting; the server runs
 * them concurrently and replies in completion order, each reply carrying its request's id.
 */
package io.keel.storage.cs;
