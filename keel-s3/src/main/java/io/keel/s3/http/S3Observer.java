package io.keel.s3.http;

/**
 * Told about every request the gateway answered, for metrics. Called on the request's thread
 * once the response is decided: for a GET the latency is the time to the first byte, and
 * {@code bytesOut} is the length promised in the response.
 */
@FunctionalInterface
public interface S3Observer {
    S3Observer NONE = (operation, status, bytesIn, bytesOut, nanos) -> {};

    /**
     * @param operation the S3 operation's name (e.g. {@code PutObject}), or {@code Unresolved}
     *                  when the request failed before its operation was known (addressing,
     *                  signature, unknown key)
     */
    void completed(String operation, int status, long bytesIn, long bytesOut, long nanos);
}
