package io.keel.api;

import io.keel.api.dto.CreateS3AccessKeyRequest;
import io.keel.api.dto.CreateS3ClusterRequest;
import io.keel.api.dto.CreateS3UserRequest;
import io.keel.api.dto.NewS3AccessKeyView;
import io.keel.api.dto.S3AccessKeyView;
import io.keel.api.dto.S3BucketView;
import io.keel.api.dto.S3ClusterView;
import io.keel.api.dto.S3UserView;
import io.keel.api.dto.UpdateS3ClusterRequest;
import java.util.List;

/**
 * The S3 control plane (ADRs 0039, 0044): the S3 cluster, its users and their access keys, and a
 * read-only list of buckets. The routes have checked only the requests' shape ({@link S3Requests});
 * the metadata checks every rule. Every method either returns or throws {@link ApiException}
 * (400, 404, 409, 503), and a method that throws has changed nothing. No answer carries a TLS
 * private key, and only {@link #createKey} an access key's secret.
 */
public interface S3Service {
    /** 404 while there is no S3 cluster. */
    S3ClusterView cluster();

    S3ClusterView createCluster(CreateS3ClusterRequest request);

    S3ClusterView updateCluster(UpdateS3ClusterRequest request);

    /** Refused (409) while buckets exist; users and keys stay. */
    void deleteCluster();

    List<S3UserView> users();

    /** {@code user}: id or e-mail address, here and below. */
    S3UserView user(String user);

    S3UserView createUser(CreateS3UserRequest request);

    S3UserView suspendUser(String user);

    S3UserView resumeUser(String user);

    /** Refused (409) while the user owns buckets; the user's keys go with it. */
    void deleteUser(String user);

    /** Every key, or the keys of {@code user} when it is not null; never a secret. */
    List<S3AccessKeyView> keys(String user);

    /** The new key with its secret, which no other call returns. */
    NewS3AccessKeyView createKey(CreateS3AccessKeyRequest request);

    S3AccessKeyView revokeKey(String accessKeyId);

    List<S3BucketView> buckets();
}
