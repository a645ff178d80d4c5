/**
 * A QMP client (QEMU Machine Protocol: JSON over a Unix socket).
 *
 * <p>Layers, bottom up: {@link io.keel.compute.qmp.QmpLineReader} (bounded lines) and
 * {@link io.keel.compute.qmp.QmpCodec} (a line to the sealed {@link io.keel.compute.qmp.QmpMessage}
 * and commands to lines); {@link io.keel.compute.qmp.QmpSession} (the protocol's states, ids and
 * events, with no I/O); {@link io.keel.compute.qmp.QmpClient} (the socket, a reader thread, timeouts
 * and typed commands).
 *
 * <p>Robustness: lines are capped (16 MiB by default) and anything that is not a well-formed QMP
 * message is a {@link io.keel.compute.qmp.QmpProtocolException} that closes the connection. When
 * the connection ends, every waiting call fails at once with a
 * {@link io.keel.compute.qmp.QmpClosedException}. A call that times out is abandoned, not the
 * connection: QEMU runs commands in order, so its late reply is dropped when it comes.
 */
package io.keel.compute.qmp;
