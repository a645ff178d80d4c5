package io.keel.api;

import io.keel.api.dto.CreateVolumeRequest;
import io.keel.api.dto.ExtendVolumeRequest;
import io.keel.api.dto.SetVolumePolicyRequest;
import io.keel.api.dto.VolumeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * In-memory volumes keyed by id, with the checks a real service makes on its input (sizes,
 * unknown volumes and policies, shrinking, taken names); records what it was asked and fails
 * on demand.
 */
final class FakeVolumeService implements VolumeService {
    static final String CREATED_AT = "2026-01-02T03:04:05Z";

    /** When set, every call throws it. */
    volatile RuntimeException failure;
    final Map<String, VolumeView> volumes = new ConcurrentHashMap<>();
    final List<Object> calls = new CopyOnWriteArrayList<>();
    private final List<String> policies = List.of("triple", "single");

    private void record(Object call) {
        calls.add(call);
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }

    void reset() {
        failure = null;
        calls.clear();
        volumes.clear();
    }

    static VolumeView volume(String id, String name, long size, String policy) {
        return new VolumeView(id, name, size, 64 << 20, policy, 0, 0, "healthy", null, 0, 0, null, null, CREATED_AT, null);
    }

    @Override
    public synchronized VolumeView create(CreateVolumeRequest request) {
        record(request);
        if (request.name() == null || request.name().isBlank()) {
            throw ApiException.invalid("a volume needs a name");
        }
        long size = Sizes.parse("size", request.size());
        int chunk = (int) Sizes.parse("chunkSize", request.chunkSize() == null ? "64M" : request.chunkSize());
        String policy = request.policy() == null ? "triple" : policy(request.policy());
        if (find(request.name()).isPresent()) {
            throw ApiException.conflict("volume name '" + request.name() + "' is taken");
        }
        String id = "v" + String.format("%015x", volumes.size() + 1);
        VolumeView v = new VolumeView(id, request.name(), size, chunk, policy, 0, 0, "healthy", null, 0, 0,
                null, null, CREATED_AT, null);
        volumes.put(id, v);
        return v;
    }

    @Override
    public List<VolumeView> list() {
        record("list");
        return new ArrayList<>(volumes.values());
    }

    @Override
    public VolumeView get(String idOrName) {
        record("get " + idOrName);
        return existing(idOrName);
    }

    @Override
    public synchronized VolumeView extend(String idOrName, ExtendVolumeRequest request) {
        record(request);
        VolumeView v = existing(idOrName);
        long size = Sizes.parse("size", request.size());
        if (size < v.sizeBytes()) {
            throw ApiException.invalid("volume " + v.name() + " is " + v.sizeBytes() + " bytes; volumes only grow");
        }
        return put(new VolumeView(v.id(), v.name(), size, v.chunkSizeBytes(), v.policy(), v.allocatedBytes(),
                v.physicalBytes(), v.health(), v.healthReason(), v.chunks(), v.degradedChunks(), v.leaseHolder(),
                v.leaseEpoch(), v.createdAt(), v.home()));
    }

    @Override
    public synchronized VolumeView breakLease(String idOrName) {
        record("break-lease " + idOrName);
        VolumeView v = existing(idOrName);
        if (v.leaseHolder() == null) {
            throw ApiException.conflict("no one holds the write lease of volume " + v.name());
        }
        return put(new VolumeView(v.id(), v.name(), v.sizeBytes(), v.chunkSizeBytes(), v.policy(), v.allocatedBytes(),
                v.physicalBytes(), v.health(), v.healthReason(), v.chunks(), v.degradedChunks(), null, null,
                v.createdAt(), v.home()));
    }

    @Override
    public synchronized VolumeView setPolicy(String idOrName, SetVolumePolicyRequest request) {
        record(request);
        VolumeView v = existing(idOrName);
        String policy = policy(request.policy());
        return put(new VolumeView(v.id(), v.name(), v.sizeBytes(), v.chunkSizeBytes(), policy, v.allocatedBytes(),
                v.physicalBytes(), v.health(), v.healthReason(), v.chunks(), v.degradedChunks(), v.leaseHolder(),
                v.leaseEpoch(), v.createdAt(), v.home()));
    }

    @Override
    public synchronized void delete(String idOrName) {
        record("delete " + idOrName);
        VolumeView v = existing(idOrName);
        if (v.leaseHolder() != null) {
            throw ApiException.conflict("volume " + v.name() + " is open on " + v.leaseHolder());
        }
        volumes.remove(v.id());
    }

    private VolumeView put(VolumeView v) {
        volumes.put(v.id(), v);
        return v;
    }

    private String policy(String name) {
        if (name == null || !policies.contains(name)) {
            throw ApiException.notFound("no storage policy '" + name + "'");
        }
        return name;
    }

    private Optional<VolumeView> find(String idOrName) {
        VolumeView byId = volumes.get(idOrName);
        return byId != null ? Optional.of(byId)
                : volumes.values().stream().filter(v -> v.name().equals(idOrName)).findFirst();
    }

    private VolumeView existing(String idOrName) {
        return find(idOrName).orElseThrow(() -> ApiException.notFound("no volume '" + idOrName + "'"));
    }
}
