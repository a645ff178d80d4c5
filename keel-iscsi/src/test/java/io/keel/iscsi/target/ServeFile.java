package io.keel.iscsi.target;

import io.keel.block.FileBlockDevice;
import io.keel.iscsi.login.AccessPolicy;
import io.keel.iscsi.login.ChapSecret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Manual aid: serves a sparse file as LUN 0 of one target on 127.0.0.1.
 * Args: file sizeMiB port [digests] [4k] [delay micros] [chap user secret [targetUser targetSecret]];
 * {@code delay} adds that latency to every I/O (storage over the network, which the page cache hides).
 */
public final class ServeFile {
    private ServeFile() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long size = Long.parseLong(args[1]) << 20;
        FileBlockDevice dev = Files.exists(file) ? FileBlockDevice.open(file, true) : FileBlockDevice.create(file, size);
        List<String> rest = List.of(args).subList(3, args.length);
        ServerOptions options = ServerOptions.defaults();
        if (!rest.isEmpty() && rest.getFirst().equals("digests")) {
            options = new ServerOptions(options.limits().withDigestsRequired(), options.loginTimeout(),
                    options.keepalive(), options.maxConnections(), options.discoveryAccess());
            rest = rest.subList(1, rest.size());
        }
        int blockSize = 512;
        if (!rest.isEmpty() && rest.getFirst().equals("4k")) {
            blockSize = 4096;
            rest = rest.subList(1, rest.size());
        }
        long delayMicros = 0;
        if (!rest.isEmpty() && rest.getFirst().equals("delay")) {
            delayMicros = Long.parseLong(rest.get(1));
            rest = rest.subList(2, rest.size());
        }
        AccessPolicy access = AccessPolicy.open();
        if (!rest.isEmpty() && rest.getFirst().equals("chap")) {
            access = new AccessPolicy(Set.of(), Optional.of(new ChapSecret(rest.get(1), rest.get(2))),
                    rest.size() >= 5 ? Optional.of(new ChapSecret(rest.get(3), rest.get(4))) : Optional.empty());
        }
        TargetConfig t = new TargetConfig("iqn.2026-12.io.keel:test",
                Map.of(0, new DelayedLun(new BlockDeviceLun(dev, "test-lun-0", blockSize), delayMicros)), access);
        try (IscsiServer s = IscsiServer.start("127.0.0.1", Integer.parseInt(args[2]), List.of(t), options)) {
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
