package io.keel.api;

import io.keel.api.dto.AddComputeNodeRequest;
import io.keel.api.dto.ComputeClusterView;
import io.keel.api.dto.CreateComputeClusterRequest;
import io.keel.api.dto.CreateFlavorRequest;
import io.keel.api.dto.FlavorView;
import java.util.List;

/**
 * The compute cluster and flavors, as the REST API asks for them. Kept apart from
 * {@link ClusterService} like volumes are: compute grows into VMs, consoles and migration, which
 * a node serves through its own layer. Nodes are named by id or name, flavors by name. Every
 * method either returns or throws {@link ApiException} (400 invalid, 404 not_found, 409
 * conflict, 503 when the metadata quorum is unavailable), and a method that throws has changed
 * nothing.
 */
public interface ComputeService {
    /** 404 when there is no compute cluster. */
    ComputeClusterView compute();

    /**
     * Creates the compute cluster and installs the default flavors whose names are free. Refused
     * (400) for nodes that are not healthy storage cluster nodes, 404 for unknown nodes, 409 when
     * a compute cluster exists.
     */
    ComputeClusterView createCompute(CreateComputeClusterRequest request);

    /** Flavors are kept. Refused (409) while VMs exist, once they do. */
    void deleteCompute();

    ComputeClusterView addNode(AddComputeNodeRequest request);

    /** Refused (409) for the last node: delete the compute cluster instead. */
    ComputeClusterView removeNode(String node);

    List<FlavorView> flavors();

    FlavorView flavor(String name);

    /** 409 when the name is taken. */
    FlavorView createFlavor(CreateFlavorRequest request);

    void deleteFlavor(String name);
}
