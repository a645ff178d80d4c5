/**
 * Object bytes in Keel volumes (ADR 0040 §6, ADR 0042). {@link io.keel.s3store.data.ObjectData} is
 * the contract the index layer uses; {@link io.keel.s3store.data.VolumeObjectData} implements it
 * over volumes the node provides ({@link io.keel.s3store.data.DataVolumes}), with allocation made
 * crash-safe by durable reservations ({@link io.keel.s3store.data.ReservationLog}, kept in an index
 * shard by {@link io.keel.s3store.data.IndexShardReservationLog}).
 */
package io.keel.s3store.data;
