/**
 * Block devices as the export protocols see them: {@link io.keel.block.BlockDevice} (one handle onto
 * a fixed-size device), {@link io.keel.block.BlockExports} (which devices exist, who may open them
 * for writing), and file-backed implementations for tests and benchmarks.
 */
package io.keel.block;
