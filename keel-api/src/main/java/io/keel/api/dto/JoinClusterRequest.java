package io.keel.api.dto;

import java.util.List;

/** {@code roles} null or empty means roles are assigned automatically. */
public record JoinClusterRequest(List<DiskRoleRequest> roles) {}
