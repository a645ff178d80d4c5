package io.keel.api.dto;

import java.time.Instant;
import java.util.List;

/**
 * An iSCSI target group: one target per member node ({@code targets}, each its own IQN and portal),
 * all exporting the same {@code luns}, so an initiator logged in to every target has one path per
 * node. {@code access} never carries a CHAP secret.
 */
public record IscsiGroupView(String id, String name, List<IscsiTargetView> targets, List<IscsiLunView> luns,
        IscsiAccessView access, Instant createdAt) {}
