package io.keel.api;

import io.keel.api.dto.AttachIscsiLunRequest;
import io.keel.api.dto.CreateIscsiGroupRequest;
import io.keel.api.dto.IscsiAccessRequest;
import io.keel.api.dto.IscsiAccessView;
import io.keel.api.dto.IscsiGroupView;
import io.keel.api.dto.IscsiLunView;
import io.keel.api.dto.IscsiPathView;
import io.keel.api.dto.IscsiTargetView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * In-memory iSCSI groups: the node's semantic checks reduced to a few (unknown group or volume,
 * LUN in use, group with LUNs), each an {@link ApiException} as the node would throw. Records
 * every request it is given; fails with {@link #failure} on demand.
 */
final class FakeIscsiService implements IscsiService {
    final List<Object> calls = new CopyOnWriteArrayList<>();
    final Map<String, IscsiGroupView> groups = new ConcurrentHashMap<>();
    volatile RuntimeException failure;
    /** When set, every call fails unexpectedly with a message quoting the request, as a careless service might. */
    volatile boolean quoteRequestInFailure;

    FakeIscsiService() {
        reset();
    }

    void reset() {
        calls.clear();
        groups.clear();
        failure = null;
        quoteRequestInFailure = false;
        groups.put("san", group("g-1", "san", List.of(), new IscsiAccessView(List.of(), null, false)));
    }

    private void call(Object call) {
        calls.add(call);
        if (failure != null) {
            throw failure;
        }
        if (quoteRequestInFailure) {
            throw new IllegalStateException("cannot apply " + call);
        }
    }

    @Override
    public List<IscsiGroupView> list() {
        call("list");
        return List.copyOf(groups.values());
    }

    @Override
    public IscsiGroupView get(String group) {
        call("get " + group);
        return find(group);
    }

    @Override
    public IscsiGroupView create(CreateIscsiGroupRequest request) {
        call(request);
        if (groups.containsKey(request.name())) {
            throw ApiException.conflict("an iSCSI group named " + request.name() + " exists");
        }
        IscsiGroupView g = group("g-" + (groups.size() + 1), request.name(), List.of(),
                new IscsiAccessView(List.of(), null, false));
        groups.put(g.name(), g);
        return g;
    }

    @Override
    public void delete(String group) {
        call("delete " + group);
        IscsiGroupView g = find(group);
        if (!g.luns().isEmpty()) {
            throw ApiException.conflict("iSCSI group " + g.name() + " has LUNs: remove them first");
        }
        groups.remove(g.name());
    }

    @Override
    public IscsiGroupView setAccess(String group, IscsiAccessRequest request) {
        call(request);
        IscsiGroupView g = find(group);
        if (request.chapSecret() != null && request.chapSecret().length() < 12) {
            throw ApiException.invalid("the CHAP secret must be 12 to 16 characters");
        }
        IscsiGroupView changed = group(g.id(), g.name(), g.luns(),
                new IscsiAccessView(request.initiators(), request.chapUser(), request.mutualChapUser() != null));
        groups.put(g.name(), changed);
        return changed;
    }

    @Override
    public List<IscsiLunView> luns(String group) {
        call("luns " + group);
        return find(group).luns();
    }

    @Override
    public IscsiLunView attachLun(String group, AttachIscsiLunRequest request) {
        call(request);
        IscsiGroupView g = find(group);
        if (!request.volume().equals("db")) {
            throw ApiException.notFound("no volume " + request.volume());
        }
        int number = request.lun() == null ? g.luns().size() : request.lun();
        if (g.luns().stream().anyMatch(l -> l.lun() == number)) {
            throw ApiException.conflict("LUN " + number + " of group " + g.name() + " is in use");
        }
        IscsiLunView lun = lun(number);
        List<IscsiLunView> luns = new ArrayList<>(g.luns());
        luns.add(lun);
        groups.put(g.name(), group(g.id(), g.name(), luns, g.access()));
        return lun;
    }

    @Override
    public void detachLun(String group, int lun) {
        call("detach " + group + " " + lun);
        IscsiGroupView g = find(group);
        List<IscsiLunView> luns = new ArrayList<>(g.luns());
        if (!luns.removeIf(l -> l.lun() == lun)) {
            throw ApiException.notFound("group " + g.name() + " has no LUN " + lun);
        }
        groups.put(g.name(), group(g.id(), g.name(), luns, g.access()));
    }

    /** By name or id, as the node does. */
    private IscsiGroupView find(String group) {
        return groups.values().stream().filter(g -> g.name().equals(group) || g.id().equals(group)).findFirst()
                .orElseThrow(() -> ApiException.notFound("no iSCSI group " + group));
    }

    static IscsiGroupView group(String id, String name, List<IscsiLunView> luns, IscsiAccessView access) {
        return new IscsiGroupView(id, name, List.of(
                new IscsiTargetView("n-1", "node1", "iqn.2026-12.io.keel:" + name + ".node1", "10.0.0.1:3260", 1,
                        "online", 2, 10, 20, 4096, 8192),
                new IscsiTargetView("n-2", "node2", "iqn.2026-12.io.keel:" + name + ".node2", "10.0.0.2:3260", 2,
                        "offline", 0, 0, 0, 0, 0)),
                luns, access, FakeClusterService.T0);
    }

    static IscsiLunView lun(int number) {
        return new IscsiLunView(number, "v-1", "db", 1L << 30, "n-1", "node1", "started", List.of(
                new IscsiPathView("n-1", "node1", "iqn.2026-12.io.keel:san.node1", "10.0.0.1:3260", 1, "active/optimized"),
                new IscsiPathView("n-2", "node2", "iqn.2026-12.io.keel:san.node2", "10.0.0.2:3260", 2, "standby")));
    }
}
