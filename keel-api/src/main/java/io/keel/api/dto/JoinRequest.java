package io.keel.api.dto;

import io.keel.meta.cluster.Inventory;

/** A new node asks to join, presenting the join token. */
public record JoinRequest(String token, String name, String address, int apiPort, int raftPort, Inventory inventory) {
    @Override
    public String toString() {
        return "JoinRequest[name=" + name + ", address=" + address + "]";
    }
}
