package io.keel.s3.settings;

import java.util.Arrays;
import java.util.Optional;

/**
 * The S3 actions a bucket policy may grant or deny here, and which S3 operations need them. The
 * owner's management actions (policy, CORS, lifecycle, tagging, versioning, DeleteBucket) are not
 * delegable: a policy naming them is refused rather than half-honoured.
 */
public enum PolicyAction {
    GET_OBJECT("s3:GetObject", true),
    GET_OBJECT_VERSION("s3:GetObjectVersion", true),
    PUT_OBJECT("s3:PutObject", true),
    DELETE_OBJECT("s3:DeleteObject", true),
    DELETE_OBJECT_VERSION("s3:DeleteObjectVersion", true),
    GET_OBJECT_TAGGING("s3:GetObjectTagging", true),
    PUT_OBJECT_TAGGING("s3:PutObjectTagging", true),
    DELETE_OBJECT_TAGGING("s3:DeleteObjectTagging", true),
    ABORT_MULTIPART_UPLOAD("s3:AbortMultipartUpload", true),
    LIST_MULTIPART_UPLOAD_PARTS("s3:ListMultipartUploadParts", true),
    LIST_BUCKET("s3:ListBucket", false),
    LIST_BUCKET_VERSIONS("s3:ListBucketVersions", false),
    LIST_BUCKET_MULTIPART_UPLOADS("s3:ListBucketMultipartUploads", false);

    /** Grants every action above (and nothing the owner alone may do). */
    public static final String ALL = "s3:*";

    private final String policyName;
    private final boolean objectLevel;

    PolicyAction(String policyName, boolean objectLevel) {
        this.policyName = policyName;
        this.objectLevel = objectLevel;
    }

    /** The name in policy documents, such as {@code s3:GetObject}. */
    public String policyName() {
        return policyName;
    }

    /** Object actions apply to {@code arn:aws:s3:::bucket/key} resources, the others to the bucket. */
    public boolean objectLevel() {
        return objectLevel;
    }

    static Optional<PolicyAction> byPolicyName(String name) {
        return Arrays.stream(values()).filter(a -> a.policyName.equals(name)).findFirst();
    }

    /**
     * The action S3 requires for {@code operation} (its API name), with the version variant when a
     * version id is named; empty for operations only the owner may run.
     */
    public static Optional<PolicyAction> forOperation(String operation, boolean versioned) {
        PolicyAction a = switch (operation) {
            case "GetObject", "HeadObject" -> versioned ? GET_OBJECT_VERSION : GET_OBJECT;
            case "PutObject", "CopyObject", "CreateMultipartUpload", "UploadPart", "UploadPartCopy",
                    "CompleteMultipartUpload" -> PUT_OBJECT;
            case "DeleteObject" -> versioned ? DELETE_OBJECT_VERSION : DELETE_OBJECT;
            case "GetObjectTagging" -> GET_OBJECT_TAGGING;
            case "PutObjectTagging" -> PUT_OBJECT_TAGGING;
            case "DeleteObjectTagging" -> DELETE_OBJECT_TAGGING;
            case "AbortMultipartUpload" -> ABORT_MULTIPART_UPLOAD;
            case "ListParts" -> LIST_MULTIPART_UPLOAD_PARTS;
            case "ListObjects", "ListObjectsV2", "HeadBucket" -> LIST_BUCKET;
            case "ListObjectVersions" -> LIST_BUCKET_VERSIONS;
            case "ListMultipartUploads" -> LIST_BUCKET_MULTIPART_UPLOADS;
            default -> null;
        };
        return Optional.ofNullable(a);
    }
}
