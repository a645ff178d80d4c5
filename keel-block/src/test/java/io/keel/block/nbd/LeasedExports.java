package io.keel.block.nbd;

import io.keel.block.BlockDevice;
import io.keel.block.BlockExports;
import io.keel.block.BlockIoException;
import java.util.List;
import java.util.Optional;

/**
 * Test exports that stand in for the layer above: the export named "leased" refuses write opens
 * because its write lease is held by another node; everything else comes from {@code files}.
 */
final class LeasedExports implements BlockExports {
    static final String LEASED = "leased";
    static final String REASON = "write lease held by node-7";

    private final BlockExports files;

    LeasedExports(BlockExports files) {
        this.files = files;
    }

    @Override
    public Optional<BlockDevice> open(String name, boolean writeAccess) throws BlockIoException {
        if (name.equals(LEASED) && writeAccess) {
            throw new BlockIoException(BlockIoException.Kind.EPERM, REASON);
        }
        return files.open(name, writeAccess);
    }

    @Override
    public List<String> list() {
        return files.list();
    }

    @Override
    public Optional<String> description(String name) {
        return files.description(name);
    }
}
