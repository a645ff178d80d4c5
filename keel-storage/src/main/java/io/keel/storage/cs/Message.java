package io.keel.storage.cs;

/**
 * One frame of the chunk service protocol. Every frame carries the request id its sender chose;
 * a reply carries the id of the request it answers, so replies may come in any order.
 */
public sealed interface Message permits Request, Reply {
    long requestId();
}
