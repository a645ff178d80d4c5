package io.keel.api.dto;

import java.util.List;

/** The metadata service's Raft group as this node sees it. */
public record MetadataView(
        List<MetadataMemberView> members,
        String leaderId,
        long term,
        long commitIndex,
        int up,
        int total,
        boolean quorum) {}
