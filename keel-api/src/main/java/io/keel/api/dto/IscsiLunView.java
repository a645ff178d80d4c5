package io.keel.api.dto;

import java.util.List;

/**
 * A volume exported as LUN {@code lun} of a group. {@code activeNode} is the node whose path is
 * active/optimized (it holds the volume's write lease), null while no path is; {@code haState} the
 * HA engine's state of the LUN (e.g. started, recovering). {@code paths}: one per target of the group.
 */
public record IscsiLunView(int lun, String volume, String volumeName, long sizeBytes, String activeNode,
        String activeNodeName, String haState, List<IscsiPathView> paths) {}
