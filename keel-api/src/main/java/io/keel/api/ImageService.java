package io.keel.api;

import io.keel.api.dto.CreateImageRequest;
import io.keel.api.dto.ImageView;
import java.io.InputStream;
import java.util.List;

/**
 * VM images as the REST API asks for them: a record first, then its file streamed in, checked
 * and stored in a volume with a golden snapshot that VM disks are cloned from. An image is named
 * by id or name. Every method either returns or throws {@link ApiException} (400 invalid, 404
 * not_found, 409 conflict, 507 insufficient_storage, 503 when the metadata quorum is
 * unavailable); a refused request has changed nothing, and a failed upload leaves the image in
 * ERROR with the reason and no volume behind.
 */
public interface ImageService {
    List<ImageView> list();

    ImageView get(String image);

    /** Records the image as QUEUED; 409 when the name is taken, 404 for an unknown policy. */
    ImageView create(CreateImageRequest request);

    /**
     * Reads the image's file from {@code body} ({@code contentLength} bytes, or -1 when the client
     * did not say) and answers once the image is ACTIVE or has failed: 400 with the reason for a
     * corrupt file or one that is not the declared format, 507 when it cannot fit, 409 when the
     * image is not waiting for a file. The body is streamed, never held in memory.
     */
    ImageView upload(String image, InputStream body, long contentLength);

    /** Deletes the image with its volume and golden snapshot; 409 while VM disks are cloned from it. */
    void delete(String image);
}
