package io.keel.node.compute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.compute.qmp.QmpClient;
import io.keel.compute.qmp.QmpCommandException;
import io.keel.compute.qmp.QmpException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** The devices Keel plugs into a running guest (disk0.., nic0..), listed and unplugged over QMP. */
final class GuestDevices {
    private static final Duration QMP_TIMEOUT = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 100;

    private GuestDevices() {}

    /** The ids of the devices of QOM type {@code type} (e.g. virtio-blk-pci) whose ids match {@code ids}. */
    static Set<String> list(QmpClient qmp, String type, Pattern ids) throws QmpException, InterruptedException {
        ObjectNode args = qmp.arguments();
        args.put("path", "/machine/peripheral");
        Set<String> out = new HashSet<>();
        for (JsonNode child : qmp.execute("qom-list", args, QMP_TIMEOUT)) {
            String name = child.path("name").asText();
            if (child.path("type").asText().equals("child<" + type + ">") && ids.matcher(name).matches()) {
                out.add(name);
            }
        }
        return out;
    }

    /**
     * Asks the guest to release device {@code id}, as pressing its slot's attention button does,
     * and waits up to {@code wait} for it to leave; true if it did. A request still pending from an
     * earlier call is waited for again rather than repeated.
     */
    static boolean unplug(QmpClient qmp, String id, String type, Duration wait)
            throws QmpException, InterruptedException {
        ObjectNode args = qmp.arguments();
        args.put("id", id);
        try {
            qmp.execute("device_del", args, QMP_TIMEOUT);
        } catch (QmpCommandException e) {
            // Already asked and pending in the guest.
        }
        Pattern only = Pattern.compile(Pattern.quote(id));
        long deadline = System.nanoTime() + wait.toNanos();
        while (!list(qmp, type, only).isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return true;
    }
}
