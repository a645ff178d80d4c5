package io.keel.api.dto;

/**
 * One path to a LUN: through the target on {@code node}. {@code alua} is the state that node's
 * target port group reports for the LUN: active/optimized, standby, unavailable or transitioning.
 */
public record IscsiPathView(String node, String nodeName, String iqn, String portal, int portGroup, String alua) {}
