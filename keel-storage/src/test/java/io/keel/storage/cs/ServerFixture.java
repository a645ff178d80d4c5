package io.keel.storage.cs;

import io.keel.storage.chunk.ChunkStore;
import io.keel.storage.chunk.ChunkStoreOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A store on a temporary directory, served on a loopback port, and one client connected to it. */
abstract class ServerFixture {
    static final int CHUNK = 1 << 20;
    static final ChunkStoreOptions OPTIONS = ChunkStoreOptions.defaults().withChunkSize(CHUNK).withReservedBytes(0);

    @TempDir
    Path root;

    ChunkStore store;
    ChunkServer server;
    ChunkClient client;

    @BeforeEach
    void start() {
        store = ChunkStore.open(root, OPTIONS);
        server = ChunkServer.start(store, "127.0.0.1", 0);
        client = ChunkClient.connect(server.address());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
        store.close();
    }
}
