/**
 * An NBD server: fixed newstyle handshake and simple replies, serving {@link io.keel.block.BlockExports}.
 *
 * <p>Layers, bottom up: {@link io.keel.block.nbd.NbdConstants} (numbers from the spec);
 * {@link io.keel.block.nbd.OptionCodec} and {@link io.keel.block.nbd.RequestCodec} (frames to and
 * from the sealed types {@link io.keel.block.nbd.NbdOption}, {@link io.keel.block.nbd.OptionReply}
 * and {@link io.keel.block.nbd.NbdCommand}); {@code Handshake} (option haggling) and
 * {@code Transmission} (requests) as the per-connection state machine; {@code NbdConnection} tying
 * them to a pair of channels; {@link io.keel.block.nbd.NbdServer} accepting sockets.
 *
 * <p>Ordering: requests on a connection run concurrently and are answered as they finish, each with
 * its own cookie. A flush first waits for every write, trim and write-zeroes received before it on
 * that connection to finish on the device. FUA writes are durable before their reply.
 *
 * <p>Multi-connection: {@code NBD_FLAG_CAN_MULTI_CONN} is advertised only for read-only exports and
 * for devices that declare {@link io.keel.block.BlockDevice#multiConnSafe()}, i.e. whose handles
 * share one cache so that a flush on any connection covers writes completed on all of them.
 *
 * <p>Robustness: no length field is trusted. Options are capped (64 KiB by default), requests are
 * capped (32 MiB), and a connection's in-flight payload memory is capped; a violation that leaves
 * the byte stream untrustworthy ends that connection with one log line and nothing else.
 * Connections are capped (256 by default; one more is closed on accept with a log line), and a
 * handshake that waits on its client for longer than the handshake timeout (30 s) is closed with
 * a log line; an established session is never timed out.
 */
package io.keel.block.nbd;
