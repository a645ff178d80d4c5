package io.keel.s3store;

import io.keel.meta.cluster.ClusterCommand;
import io.keel.meta.cluster.CommandResult;

/**
 * Replicates a metadata command and answers what applying it gave. The node wires this to its
 * metadata gateway; a refusal is a {@link CommandResult.Rejected} with its code, not an exception.
 * Failing to reach a quorum is an unchecked exception, which the catalog answers as
 * ServiceUnavailable so clients retry.
 */
@FunctionalInterface
public interface MetaSubmitter {
    CommandResult submit(ClusterCommand command);
}
