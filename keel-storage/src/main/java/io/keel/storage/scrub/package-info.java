/**
 * Background scrubbing of one chunk service: {@link io.keel.storage.scrub.Scrubber} verifies every
 * chunk's checksums at a bounded rate and reports bad chunks to a listener, which the node uses to
 * repair them from a replica and to count them in its metrics.
 */
package io.keel.storage.scrub;
