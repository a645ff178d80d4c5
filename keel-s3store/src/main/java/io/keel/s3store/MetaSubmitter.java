package io.keel.s3store;

import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.CommandResult;

/**
 * Replicates a metadata command and answers what applying it gave. The node wires this to its
 * metadata gateway; a refusal is a {@link CommandResult.Rejected}, not an exception. Failing to
 * reach a quorum is an unchecked exception, which the S3 layer answers as an internal error.
 */
@FunctionalInterface
public interface MetaSubmitter {
    CommandResult submit(ClusterCommand command);
}
