package io.keel.api.dto;

import java.util.List;

/**
 * A new iSCSI target group with one target per node in {@code nodes}. One node is allowed, but
 * then initiators have a single path and lose the LUNs when that node does.
 */
public record CreateIscsiGroupRequest(String name, List<IscsiGroupNodeRequest> nodes) {}
