package io.keel.s3.backend;

import java.io.IOException;
import java.io.InputStream;

/**
 * A handle on one immutable object version. Reading through the handle sees exactly the version
 * {@link #info()} describes even if the key is overwritten meanwhile, so conditional checks made
 * on {@code info()} hold for the bytes sent.
 */
public interface StoredObject extends AutoCloseable {
    ObjectInfo info();

    /** {@code length} bytes from {@code offset}; the caller has checked the range against the size. */
    InputStream open(long offset, long length) throws IOException;

    @Override
    default void close() {
    }
}
