package io.keel.api.dto;

/**
 * The group's target on one node. {@code portal} is {@code ADDRESS:PORT} (an IPv6 address in
 * brackets); {@code portGroup} is the ALUA target port group the node's paths report;
 * {@code state} online | offline (the node or its iSCSI server is down). {@code sessions} and the
 * counters are since the target last started on that node.
 */
public record IscsiTargetView(String node, String nodeName, String iqn, String portal, int portGroup, String state,
        int sessions, long readOps, long writeOps, long readBytes, long writeBytes) {}
