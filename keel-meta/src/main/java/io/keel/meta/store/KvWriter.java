package io.keel.meta.store;

/**
 * The writes one command makes. Implementations buffer them so that a command is applied whole
 * or not at all; reads through this interface see the command's own earlier writes.
 */
public interface KvWriter extends KvReader {
    void put(String key, byte[] value);

    void delete(String key);
}
