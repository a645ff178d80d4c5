package io.keel.api;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.keel.api.dto.AddComputeNodeRequest;
import io.keel.api.dto.AttachIscsiLunRequest;
import io.keel.api.dto.CloneRequest;
import io.keel.api.dto.CreateComputeClusterRequest;
import io.keel.api.dto.CreateFlavorRequest;
import io.keel.api.dto.CreateImageRequest;
import io.keel.api.dto.CreateIscsiGroupRequest;
import io.keel.api.dto.CreateClusterRequest;
import io.keel.api.dto.CreateLocationRequest;
import io.keel.api.dto.CreateS3AccessKeyRequest;
import io.keel.api.dto.CreateS3ClusterRequest;
import io.keel.api.dto.CreateS3UserRequest;
import io.keel.api.dto.UpdateS3ClusterRequest;
import io.keel.api.dto.CreatePolicyRequest;
import io.keel.api.dto.CreateSnapshotRequest;
import io.keel.api.dto.CreateVmRequest;
import io.keel.api.dto.MigrateVmRequest;
import io.keel.api.dto.AttachNicRequest;
import io.keel.api.dto.AttachVolumeRequest;
import io.keel.api.dto.CdromRequest;
import io.keel.api.dto.CreateNetworkRequest;
import io.keel.api.dto.CreateVmSnapshotRequest;
import io.keel.api.dto.RevertVmRequest;
import io.keel.api.dto.CreateVolumeRequest;
import io.keel.api.dto.RenameVmRequest;
import io.keel.api.dto.ResizeVmRequest;
import io.keel.api.dto.VmActionRequest;
import io.keel.api.dto.DiskRoleRequest;
import io.keel.api.dto.ExtendVolumeRequest;
import io.keel.api.dto.HeartbeatRequest;
import io.keel.api.dto.IscsiAccessRequest;
import io.keel.api.dto.JoinClusterRequest;
import io.keel.api.dto.JoinRequest;
import io.keel.api.dto.LoginRequest;
import io.keel.api.dto.MoveNodeRequest;
import io.keel.api.dto.RenameLocationRequest;
import io.keel.api.dto.RotateTokenRequest;
import io.keel.api.dto.SetVolumePolicyRequest;
import io.keel.api.http.HealthResponse;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/** The route table: every endpoint of the API, in one list that the OpenAPI test checks. */
final class ApiRoutes {
    static final String OPENAPI_RESOURCE = "/io/keel/api/openapi.json";
    static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final ClusterService service;
    private final VolumeService volumes;
    private final SnapshotService snapshots;
    private final ComputeService compute;
    private final VmService vms;
    private final ImageService images;
    private final VmSnapshotService vmSnapshots;
    private final VmStatsService vmStats;
    private final VmDiskService vmDisks;
    private final NetworkService networks;
    private final HaService ha;
    private final IscsiService iscsi;
    private final S3Service s3;
    private final S3ObjectRoutes s3Objects;
    private final MonitoringRoutes monitoring;
    private final Authenticator auth;
    private final ConsoleRoutes consoles;
    private final Json json;
    private final PrometheusMeterRegistry registry;
    private final String nodeId;
    private final byte[] openApi;

    ApiRoutes(ApiServices services, Authenticator auth, ConsoleRoutes consoles, Json json, PrometheusMeterRegistry registry,
            String nodeId) {
        this.service = services.cluster();
        this.volumes = services.volumes();
        this.snapshots = services.snapshots();
        this.compute = services.compute();
        this.vms = services.vms();
        this.images = services.images();
        this.vmSnapshots = services.vmSnapshots();
        this.vmStats = services.vmStats();
        this.vmDisks = services.vmDisks();
        this.networks = services.networks();
        this.ha = services.ha();
        this.iscsi = services.iscsi();
        this.s3 = services.s3();
        this.auth = Objects.requireNonNull(auth, "auth");
        this.consoles = Objects.requireNonNull(consoles, "consoles");
        this.json = Objects.requireNonNull(json, "json");
        this.s3Objects = new S3ObjectRoutes(services.s3Objects(), json);
        this.monitoring = new MonitoringRoutes(services.monitoring(), json);
        this.registry = Objects.requireNonNull(registry, "registry");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.openApi = loadOpenApi();
    }

    List<Route> table() {
        List<Route> routes = new ArrayList<>();
        // Public
        routes.add(new Route(GET, "/api/v1/health", Access.PUBLIC, ctx -> ok(ctx, new HealthResponse("ok", nodeId))));
        routes.add(new Route(POST, "/api/v1/login", Access.PUBLIC,
                ctx -> ok(ctx, auth.login(json.secretBody(ctx, LoginRequest.class)))));
        routes.add(new Route(GET, "/api/v1/openapi.json", Access.PUBLIC,
                ctx -> ctx.contentType("application/json").result(openApi)));
        routes.add(new Route(GET, "/metrics", Access.PUBLIC,
                ctx -> ctx.contentType(PROMETHEUS_CONTENT_TYPE).result(registry.scrape())));
        routes.add(new Route(POST, "/api/v1/internal/join", Access.PUBLIC,
                ctx -> ok(ctx, service.join(json.secretBody(ctx, JoinRequest.class)))));
        // Node to node
        routes.add(new Route(POST, "/api/v1/internal/heartbeat", Access.NODE, this::heartbeat));
        // Operator
        session(routes, GET, "/api/v1/cluster", ctx -> ok(ctx, service.cluster()));
        session(routes, GET, "/api/v1/cluster/vip", ctx -> ok(ctx, service.vip()));
        session(routes, PUT, "/api/v1/cluster/vip", ctx -> ok(ctx,
                service.setVip(json.body(ctx, io.keel.api.dto.SetClusterVipRequest.class))));
        session(routes, DELETE, "/api/v1/cluster/vip", noContent(ctx -> service.clearVip()));
        session(routes, POST, "/api/v1/cluster",
                ctx -> created(ctx, service.createStorageCluster(json.body(ctx, CreateClusterRequest.class))));
        session(routes, GET, "/api/v1/nodes", ctx -> ok(ctx, service.nodes()));
        session(routes, GET, "/api/v1/nodes/{node}", ctx -> ok(ctx, service.node(ctx.pathParam("node"))));
        session(routes, POST, "/api/v1/nodes/{node}/join-cluster", ctx -> ok(ctx, service.joinStorageCluster(
                ctx.pathParam("node"), orDefault(json.optionalBody(ctx, JoinClusterRequest.class),
                        () -> new JoinClusterRequest(null)))));
        session(routes, GET, "/api/v1/nodes/{node}/disks", ctx -> ok(ctx, service.disks(ctx.pathParam("node"))));
        session(routes, PUT, "/api/v1/nodes/{node}/disks/{disk}/role", ctx -> ok(ctx, service.assignDiskRole(
                ctx.pathParam("node"), ctx.pathParam("disk"), json.body(ctx, DiskRoleRequest.class))));
        session(routes, PUT, "/api/v1/nodes/{node}/location", ctx -> ok(ctx,
                service.moveNode(ctx.pathParam("node"), json.body(ctx, MoveNodeRequest.class))));
        session(routes, POST, "/api/v1/nodes/{node}/release",
                ctx -> ok(ctx, service.releaseNode(ctx.pathParam("node"))));
        session(routes, DELETE, "/api/v1/nodes/{node}/release",
                ctx -> ok(ctx, service.cancelRelease(ctx.pathParam("node"))));
        session(routes, GET, "/api/v1/disks", ctx -> ok(ctx, service.disks(blankToNull(ctx.queryParam("node")))));
        session(routes, GET, "/api/v1/join-token", ctx -> ok(ctx, service.joinToken()));
        session(routes, POST, "/api/v1/join-token/rotate", ctx -> ok(ctx, service.rotateJoinToken(
                orDefault(json.optionalBody(ctx, RotateTokenRequest.class), () -> new RotateTokenRequest(null)))));
        session(routes, GET, "/api/v1/policies", ctx -> ok(ctx, service.policies()));
        session(routes, POST, "/api/v1/policies",
                ctx -> created(ctx, service.createPolicy(json.body(ctx, CreatePolicyRequest.class))));
        session(routes, GET, "/api/v1/policies/{name}", ctx -> ok(ctx, service.policy(ctx.pathParam("name"))));
        session(routes, DELETE, "/api/v1/policies/{name}",
                noContent(ctx -> service.deletePolicy(ctx.pathParam("name"))));
        session(routes, GET, "/api/v1/locations", ctx -> ok(ctx, service.locations()));
        session(routes, POST, "/api/v1/locations",
                ctx -> created(ctx, service.createLocation(json.body(ctx, CreateLocationRequest.class))));
        session(routes, PATCH, "/api/v1/locations/{id}", ctx -> ok(ctx,
                service.renameLocation(ctx.pathParam("id"), json.body(ctx, RenameLocationRequest.class))));
        session(routes, DELETE, "/api/v1/locations/{id}",
                noContent(ctx -> service.deleteLocation(ctx.pathParam("id"))));
        volumeRoutes(routes);
        snapshotRoutes(routes);
        computeRoutes(routes);
        vmRoutes(routes);
        consoles.addRoutes(routes);
        imageRoutes(routes);
        haRoutes(routes);
        iscsiRoutes(routes);
        s3Routes(routes);
        s3Objects.addRoutes(routes);
        monitoring.addRoutes(routes);
        return List.copyOf(routes);
    }

    private void imageRoutes(List<Route> routes) {
        session(routes, GET, "/api/v1/images", ctx -> ok(ctx, images.list()));
        session(routes, POST, "/api/v1/images",
                ctx -> created(ctx, images.create(json.body(ctx, CreateImageRequest.class))));
        session(routes, GET, "/api/v1/images/{image}", ctx -> ok(ctx, images.get(ctx.pathParam("image"))));
        session(routes, DELETE, "/api/v1/images/{image}", noContent(ctx -> images.delete(ctx.pathParam("image"))));
        // The raw request stream: an image file can be far larger than memory. Javalin's int
        // contentLength() would overflow past 2 GiB, hence the servlet's long one.
        session(routes, PUT, "/api/v1/images/{image}/file", ctx -> ok(ctx, images.upload(ctx.pathParam("image"),
                ctx.req().getInputStream(), ctx.req().getContentLengthLong())));
    }

    private void haRoutes(List<Route> routes) {
        session(routes, GET, "/api/v1/cluster/ha", ctx -> ok(ctx, ha.settings()));
        session(routes, PUT, "/api/v1/cluster/ha",
                ctx -> ok(ctx, ha.setSettings(json.body(ctx, io.keel.api.dto.HaSettingsRequest.class))));
        session(routes, GET, "/api/v1/nodes/{node}/maintenance/plan",
                ctx -> ok(ctx, ha.maintenancePlan(ctx.pathParam("node"))));
        session(routes, POST, "/api/v1/nodes/{node}/maintenance",
                ctx -> ok(ctx, ha.enterMaintenance(ctx.pathParam("node"))));
        session(routes, DELETE, "/api/v1/nodes/{node}/maintenance",
                ctx -> ok(ctx, ha.leaveMaintenance(ctx.pathParam("node"))));
    }

    private void iscsiRoutes(List<Route> routes) {
        String base = "/api/v1/iscsi/groups";
        session(routes, GET, base, ctx -> ok(ctx, iscsi.list()));
        session(routes, POST, base, ctx -> created(ctx,
                iscsi.create(IscsiRequests.check(json.body(ctx, CreateIscsiGroupRequest.class)))));
        session(routes, GET, base + "/{group}", ctx -> ok(ctx, iscsi.get(ctx.pathParam("group"))));
        session(routes, DELETE, base + "/{group}", noContent(ctx -> iscsi.delete(ctx.pathParam("group"))));
        // CHAP secrets: a body the parser cannot read must not come back quoted in the error.
        session(routes, PUT, base + "/{group}/access", ctx -> ok(ctx, iscsi.setAccess(ctx.pathParam("group"),
                IscsiRequests.check(json.secretBody(ctx, IscsiAccessRequest.class)))));
        session(routes, GET, base + "/{group}/luns", ctx -> ok(ctx, iscsi.luns(ctx.pathParam("group"))));
        session(routes, POST, base + "/{group}/luns", ctx -> created(ctx, iscsi.attachLun(ctx.pathParam("group"),
                IscsiRequests.check(json.body(ctx, AttachIscsiLunRequest.class)))));
        session(routes, DELETE, base + "/{group}/luns/{lun}", noContent(ctx -> iscsi.detachLun(ctx.pathParam("group"),
                IscsiRequests.lun(ctx.pathParam("lun")))));
        routes.add(new Route(GET, "/api/v1/internal/iscsi/targets", Access.NODE, ctx -> ok(ctx, iscsi.localTargets())));
    }

    private void s3Routes(List<Route> routes) {
        String base = "/api/v1/s3";
        session(routes, GET, base + "/cluster", ctx -> ok(ctx, s3.cluster()));
        // A TLS private key may be in these bodies: a body the parser cannot read must not come back quoted.
        session(routes, POST, base + "/cluster", ctx -> created(ctx,
                s3.createCluster(S3Requests.check(json.secretBody(ctx, CreateS3ClusterRequest.class)))));
        session(routes, PATCH, base + "/cluster", ctx -> ok(ctx,
                s3.updateCluster(S3Requests.check(json.secretBody(ctx, UpdateS3ClusterRequest.class)))));
        session(routes, DELETE, base + "/cluster", noContent(ctx -> s3.deleteCluster()));
        session(routes, GET, base + "/users", ctx -> ok(ctx, s3.users()));
        session(routes, POST, base + "/users", ctx -> created(ctx,
                s3.createUser(S3Requests.check(json.body(ctx, CreateS3UserRequest.class)))));
        session(routes, GET, base + "/users/{user}", ctx -> ok(ctx, s3.user(ctx.pathParam("user"))));
        session(routes, DELETE, base + "/users/{user}", noContent(ctx -> s3.deleteUser(ctx.pathParam("user"))));
        session(routes, POST, base + "/users/{user}/suspend", ctx -> ok(ctx, s3.suspendUser(ctx.pathParam("user"))));
        session(routes, POST, base + "/users/{user}/resume", ctx -> ok(ctx, s3.resumeUser(ctx.pathParam("user"))));
        session(routes, GET, base + "/keys", ctx -> ok(ctx, s3.keys(blankToNull(ctx.queryParam("user")))));
        session(routes, POST, base + "/keys", ctx -> {
            // The one answer that carries a secret: no proxy or browser may keep a copy.
            ctx.header("Cache-Control", "no-store");
            created(ctx, s3.createKey(S3Requests.check(json.body(ctx, CreateS3AccessKeyRequest.class))));
        });
        session(routes, POST, base + "/keys/{key}/revoke", ctx -> ok(ctx, s3.revokeKey(ctx.pathParam("key"))));
        session(routes, GET, base + "/buckets", ctx -> ok(ctx, s3.buckets()));
    }

    private void computeRoutes(List<Route> routes) {
        session(routes, GET, "/api/v1/compute", ctx -> ok(ctx, compute.compute()));
        session(routes, GET, "/api/v1/events", ctx -> ok(ctx, service.events(queryInt(ctx, "limit"))));
        session(routes, POST, "/api/v1/compute",
                ctx -> created(ctx, compute.createCompute(json.body(ctx, CreateComputeClusterRequest.class))));
        session(routes, DELETE, "/api/v1/compute", noContent(ctx -> compute.deleteCompute()));
        session(routes, POST, "/api/v1/compute/nodes",
                ctx -> ok(ctx, compute.addNode(json.body(ctx, AddComputeNodeRequest.class))));
        session(routes, DELETE, "/api/v1/compute/nodes/{node}",
                ctx -> ok(ctx, compute.removeNode(ctx.pathParam("node"))));
        session(routes, GET, "/api/v1/flavors", ctx -> ok(ctx, compute.flavors()));
        session(routes, POST, "/api/v1/flavors",
                ctx -> created(ctx, compute.createFlavor(json.body(ctx, CreateFlavorRequest.class))));
        session(routes, GET, "/api/v1/flavors/{name}", ctx -> ok(ctx, compute.flavor(ctx.pathParam("name"))));
        session(routes, DELETE, "/api/v1/flavors/{name}",
                noContent(ctx -> compute.deleteFlavor(ctx.pathParam("name"))));
    }

    private void vmRoutes(List<Route> routes) {
        session(routes, GET, "/api/v1/vms", ctx -> ok(ctx, vms.list()));
        session(routes, POST, "/api/v1/vms", ctx -> created(ctx, vms.create(json.body(ctx, CreateVmRequest.class))));
        session(routes, GET, "/api/v1/vms/{vm}", ctx -> ok(ctx, vms.get(ctx.pathParam("vm"))));
        session(routes, DELETE, "/api/v1/vms/{vm}", noContent(ctx -> vms.delete(ctx.pathParam("vm"),
                Boolean.parseBoolean(ctx.queryParam("deleteVolumes")))));
        session(routes, PATCH, "/api/v1/vms/{vm}",
                ctx -> ok(ctx, vms.rename(ctx.pathParam("vm"), json.body(ctx, RenameVmRequest.class))));
        session(routes, POST, "/api/v1/vms/{vm}/resize",
                ctx -> ok(ctx, vms.resize(ctx.pathParam("vm"), json.body(ctx, ResizeVmRequest.class))));
        vmAction(routes, "start", vms::start);
        vmAction(routes, "stop", vms::stop);
        vmAction(routes, "reboot", vms::reboot);
        vmAction(routes, "pause", vms::pause);
        vmAction(routes, "unpause", vms::unpause);
        vmAction(routes, "suspend", vms::suspend);
        vmAction(routes, "resume", vms::resume);
        session(routes, PUT, "/api/v1/vms/{vm}/placement", ctx -> ok(ctx,
                vms.setPlacement(ctx.pathParam("vm"), json.body(ctx, io.keel.api.dto.VmPlacementRequest.class))));
        session(routes, POST, "/api/v1/vms/{vm}/migrate",
                ctx -> ok(ctx, vms.migrate(ctx.pathParam("vm"), json.body(ctx, MigrateVmRequest.class))));
        vmAction(routes, "migrate/cancel", vms::cancelMigration);
        vmSnapshotRoutes(routes);
        session(routes, GET, "/api/v1/networks", ctx -> ok(ctx, networks.list()));
        session(routes, POST, "/api/v1/networks",
                ctx -> created(ctx, networks.create(json.body(ctx, CreateNetworkRequest.class))));
        session(routes, GET, "/api/v1/networks/{network}", ctx -> ok(ctx, networks.get(ctx.pathParam("network"))));
        session(routes, DELETE, "/api/v1/networks/{network}",
                noContent(ctx -> networks.delete(ctx.pathParam("network"))));
        session(routes, POST, "/api/v1/vms/{vm}/nics", ctx -> ok(ctx,
                networks.attachNic(ctx.pathParam("vm"), json.body(ctx, AttachNicRequest.class))));
        session(routes, DELETE, "/api/v1/vms/{vm}/nics/{mac}", ctx -> ok(ctx, networks.detachNic(ctx.pathParam("vm"),
                ctx.pathParam("mac"), queryInt(ctx, "waitSeconds"))));
        session(routes, PUT, "/api/v1/vms/{vm}/cdrom", ctx -> ok(ctx,
                vmDisks.insertCdrom(ctx.pathParam("vm"), json.body(ctx, CdromRequest.class))));
        session(routes, DELETE, "/api/v1/vms/{vm}/cdrom", ctx -> ok(ctx, vmDisks.ejectCdrom(ctx.pathParam("vm"))));
        session(routes, POST, "/api/v1/vms/{vm}/volumes", ctx -> ok(ctx,
                vmDisks.attach(ctx.pathParam("vm"), json.body(ctx, AttachVolumeRequest.class))));
        session(routes, DELETE, "/api/v1/vms/{vm}/volumes/{volume}", ctx -> ok(ctx, vmDisks.detach(ctx.pathParam("vm"),
                ctx.pathParam("volume"), queryInt(ctx, "waitSeconds"))));
        session(routes, GET, "/api/v1/vms/{vm}/stats", ctx -> ok(ctx, vmStats.stats(ctx.pathParam("vm"))));
        routes.add(new Route(GET, "/api/v1/internal/vms/{vm}/stats", Access.NODE,
                ctx -> ok(ctx, vmStats.localStats(ctx.pathParam("vm")))));
    }

    /** An optional integer query parameter; text that is not one is refused, not ignored. */
    private static Integer queryInt(Context ctx, String name) {
        String v = blankToNull(ctx.queryParam(name));
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name + " must be a whole number, not '" + v + "'");
        }
    }

    private void vmSnapshotRoutes(List<Route> routes) {
        String base = "/api/v1/vms/{vm}/snapshots";
        session(routes, POST, base, ctx -> created(ctx,
                vmSnapshots.create(ctx.pathParam("vm"), json.body(ctx, CreateVmSnapshotRequest.class))));
        session(routes, GET, base, ctx -> ok(ctx, vmSnapshots.list(ctx.pathParam("vm"))));
        session(routes, GET, base + "/{snapshot}",
                ctx -> ok(ctx, vmSnapshots.get(ctx.pathParam("vm"), ctx.pathParam("snapshot"))));
        session(routes, DELETE, base + "/{snapshot}",
                noContent(ctx -> vmSnapshots.delete(ctx.pathParam("vm"), ctx.pathParam("snapshot"))));
        session(routes, POST, base + "/{snapshot}/revert", ctx -> ok(ctx, vmSnapshots.revert(ctx.pathParam("vm"),
                ctx.pathParam("snapshot"), orDefault(json.optionalBody(ctx, RevertVmRequest.class),
                        () -> RevertVmRequest.DEFAULTS))));
    }

    private void vmAction(List<Route> routes, String action,
            BiFunction<String, VmActionRequest, Object> call) {
        session(routes, POST, "/api/v1/vms/{vm}/" + action, ctx -> ok(ctx, call.apply(ctx.pathParam("vm"),
                orDefault(json.optionalBody(ctx, VmActionRequest.class), () -> VmActionRequest.DEFAULTS))));
    }

    private void volumeRoutes(List<Route> routes) {
        session(routes, GET, "/api/v1/volumes", ctx -> ok(ctx, volumes.list()));
        session(routes, POST, "/api/v1/volumes",
                ctx -> created(ctx, volumes.create(json.body(ctx, CreateVolumeRequest.class))));
        session(routes, GET, "/api/v1/volumes/{volume}", ctx -> ok(ctx, volumes.get(ctx.pathParam("volume"))));
        session(routes, POST, "/api/v1/volumes/{volume}/extend", ctx -> ok(ctx,
                volumes.extend(ctx.pathParam("volume"), json.body(ctx, ExtendVolumeRequest.class))));
        session(routes, POST, "/api/v1/volumes/{volume}/break-lease",
                ctx -> ok(ctx, volumes.breakLease(ctx.pathParam("volume"))));
        session(routes, PUT, "/api/v1/volumes/{volume}/policy", ctx -> ok(ctx,
                volumes.setPolicy(ctx.pathParam("volume"), json.body(ctx, SetVolumePolicyRequest.class))));
        session(routes, DELETE, "/api/v1/volumes/{volume}", noContent(ctx -> volumes.delete(ctx.pathParam("volume"))));
    }

    private void snapshotRoutes(List<Route> routes) {
        String base = "/api/v1/volumes/{volume}/snapshots";
        session(routes, POST, base, ctx -> created(ctx,
                snapshots.create(ctx.pathParam("volume"), json.body(ctx, CreateSnapshotRequest.class))));
        session(routes, GET, base, ctx -> ok(ctx, snapshots.list(ctx.pathParam("volume"))));
        session(routes, GET, base + "/{snapshot}",
                ctx -> ok(ctx, snapshots.get(ctx.pathParam("volume"), ctx.pathParam("snapshot"))));
        session(routes, DELETE, base + "/{snapshot}",
                noContent(ctx -> snapshots.delete(ctx.pathParam("volume"), ctx.pathParam("snapshot"))));
        session(routes, POST, base + "/{snapshot}/revert",
                ctx -> ok(ctx, snapshots.revert(ctx.pathParam("volume"), ctx.pathParam("snapshot"))));
        session(routes, POST, base + "/{snapshot}/clone", ctx -> created(ctx, snapshots.cloneSnapshot(
                ctx.pathParam("volume"), ctx.pathParam("snapshot"), json.body(ctx, CloneRequest.class))));
        routes.add(new Route(POST, "/api/v1/internal/volumes/{volume}/snapshots", Access.NODE, ctx -> created(ctx,
                snapshots.createLocal(ctx.pathParam("volume"), json.body(ctx, CreateSnapshotRequest.class)))));
        session(routes, GET, "/api/v1/volumes/{volume}/changed-extents", ctx -> ok(ctx, snapshots.changedExtents(
                ctx.pathParam("volume"), blankToNull(ctx.queryParam("from")), blankToNull(ctx.queryParam("to")))));
    }

    /**
     * The handler Javalin runs for {@code route}: records the route for metrics and logs, then
     * checks the caller's credential, then runs the route's own handler.
     */
    Handler guarded(Route route) {
        Handler inner = route.handler();
        return switch (route.access()) {
            case PUBLIC -> ctx -> {
                RequestMetrics.markRoute(ctx, route.path());
                inner.handle(ctx);
            };
            case NODE -> ctx -> {
                RequestMetrics.markRoute(ctx, route.path());
                auth.requireNode(ctx);
                inner.handle(ctx);
            };
            case SESSION -> ctx -> {
                RequestMetrics.markRoute(ctx, route.path());
                auth.requireSession(ctx);
                inner.handle(ctx);
            };
            case CONSOLE -> ctx -> {
                RequestMetrics.markRoute(ctx, route.path());
                consoles.authenticate(ctx, route.path());
                inner.handle(ctx);
            };
        };
    }

    private void heartbeat(Context ctx) {
        String caller = Objects.requireNonNull(ctx.attribute(Authenticator.NODE_ATTRIBUTE), "node attribute");
        HeartbeatRequest request = json.body(ctx, HeartbeatRequest.class);
        // A node speaks only for itself: its credential, not the body, says who it is.
        if (request.nodeId() != null && !request.nodeId().equals(caller)) {
            throw new ApiException(403, "forbidden", "a node may only send its own heartbeat");
        }
        service.heartbeat(new HeartbeatRequest(caller, request.sentAtMillis(), request.haActing()));
        ctx.status(204);
    }

    private static void session(List<Route> routes, HandlerType method, String path, Handler handler) {
        routes.add(new Route(method, path, Access.SESSION, handler));
    }

    /** Runs {@code action} and answers 204 No Content: what every DELETE of a thing does. */
    private static Handler noContent(Handler action) {
        return ctx -> {
            action.handle(ctx);
            ctx.status(204);
        };
    }

    private void ok(Context ctx, Object body) {
        json.write(ctx, 200, body);
    }

    private void created(Context ctx, Object body) {
        json.write(ctx, 201, body);
    }

    private static <T> T orDefault(T value, Supplier<T> fallback) {
        return value != null ? value : fallback.get();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static byte[] loadOpenApi() {
        try (InputStream in = ApiRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + OPENAPI_RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
