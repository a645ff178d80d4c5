package io.keel.meta.raft;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.keel.meta.store.KvWriter;
import io.keel.meta.store.ReplicatedLogic;

/**
 * Test-only logic over text commands: "put k v", "del k", "fail", and "putfail k v" (writes, then
 * throws, to prove a throwing command leaves no writes behind).
 */
final class TestLogic implements ReplicatedLogic {
    @Override
    public byte[] apply(long index, byte[] command, KvWriter kv) {
        String[] parts = new String(command, UTF_8).split(" ", 3);
        switch (parts[0]) {
            case "put" -> {
                kv.put(parts[1], parts[2].getBytes(UTF_8));
                return "ok".getBytes(UTF_8);
            }
            case "del" -> {
                boolean existed = kv.get(parts[1]).isPresent();
                kv.delete(parts[1]);
                return (existed ? "deleted" : "missing").getBytes(UTF_8);
            }
            case "putfail" -> {
                kv.put(parts[1], parts[2].getBytes(UTF_8));
                throw new IllegalStateException("putfail at " + index);
            }
            case "fail" -> throw new IllegalStateException("fail at " + index);
            default -> {
                return ("unknown: " + parts[0]).getBytes(UTF_8);
            }
        }
    }

    static byte[] cmd(String text) {
        return text.getBytes(UTF_8);
    }

    static String str(byte[] bytes) {
        return new String(bytes, UTF_8);
    }
}
