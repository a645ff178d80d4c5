package io.keel.node.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.keel.api.dto.IscsiTargetView;
import io.keel.meta.cluster.NodeRecord;
import io.keel.node.iscsi.TargetCounters;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counters of a node's iSCSI targets: this node's from memory, another's asked of it over its
 * internal API (they live in its memory only, like VM counters). A node that cannot be asked
 * shows none; the view then says nothing it does not know.
 */
public final class IscsiPeerCounters implements Function<NodeRecord, Map<String, TargetCounters>> {
    private static final Logger log = LoggerFactory.getLogger(IscsiPeerCounters.class);
    static final String PATH = "/api/v1/internal/iscsi/targets";

    private final String selfId;
    private final Supplier<Map<String, TargetCounters>> local;
    private final PeerCall peers;
    private final ObjectMapper json = JsonMapper.builder().findAndAddModules()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    public IscsiPeerCounters(String selfId, Supplier<Map<String, TargetCounters>> local, PeerCall peers) {
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.local = Objects.requireNonNull(local, "local");
        this.peers = Objects.requireNonNull(peers, "peers");
    }

    @Override
    public Map<String, TargetCounters> apply(NodeRecord node) {
        if (node.id().equals(selfId)) {
            return local.get();
        }
        try {
            List<IscsiTargetView> targets = json.readValue(peers.get(node, PATH), new TypeReference<>() {});
            Map<String, TargetCounters> out = new HashMap<>();
            for (IscsiTargetView t : targets) {
                out.put(t.iqn(), new TargetCounters(t.sessions(), t.readOps(), t.writeOps(), t.readBytes(),
                        t.writeBytes()));
            }
            return out;
        } catch (IOException e) {
            log.debug("iSCSI counters of node {} not available: {}", node.name(), e.getMessage());
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }
}
