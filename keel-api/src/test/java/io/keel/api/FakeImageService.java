package io.keel.api;

import io.keel.api.dto.CreateImageRequest;
import io.keel.api.dto.ImageView;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Images in memory with the main checks a real service makes. An upload reads the whole stream in
 * small buffers (counting, never keeping it): a file starting with the qcow2 magic becomes an
 * ACTIVE qcow2 image, one starting with "bad" is refused as corrupt, anything else is raw.
 */
final class FakeImageService implements ImageService {
    static final String T0 = "2026-01-02T03:04:05Z";
    private static final byte[] QCOW2 = {'Q', 'F', 'I', (byte) 0xfb};

    final List<Object> calls = new CopyOnWriteArrayList<>();
    private final Map<String, ImageView> images = new TreeMap<>();
    /** The largest buffer one read of an upload returned: proof the body was streamed. */
    volatile int largestRead;
    volatile RuntimeException failure;

    synchronized void reset() {
        calls.clear();
        images.clear();
        failure = null;
        largestRead = 0;
    }

    private void record(Object call) {
        calls.add(call);
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }

    @Override
    public synchronized List<ImageView> list() {
        record("list");
        return List.copyOf(images.values());
    }

    @Override
    public synchronized ImageView get(String image) {
        record("get " + image);
        return find(image);
    }

    private ImageView find(String image) {
        return images.values().stream().filter(i -> i.id().equals(image) || i.name().equals(image)).findFirst()
                .orElseThrow(() -> ApiException.notFound("no image '" + image + "'"));
    }

    @Override
    public synchronized ImageView create(CreateImageRequest request) {
        record(request);
        if (request.name() == null || request.name().contains(" ")) {
            throw ApiException.invalid("image name \"" + request.name() + "\" is not valid");
        }
        if (images.containsKey(request.name())) {
            throw ApiException.conflict("an image named \"" + request.name() + "\" already exists");
        }
        ImageView v = new ImageView("i-" + request.name(), request.name(), request.format(),
                request.osType() == null ? "linux" : request.osType(), Boolean.TRUE.equals(request.shared()), "QUEUED",
                null, 0, 0, null, null, null, null, "single", null, T0, T0);
        images.put(v.name(), v);
        return v;
    }

    @Override
    public ImageView upload(String image, InputStream body, long contentLength) {
        record("upload " + image + " " + contentLength);
        ImageView v;
        synchronized (this) {
            v = find(image);
        }
        byte[] head = new byte[4];
        long total = 0;
        byte[] buffer = new byte[64 << 10];
        try {
            for (int n; (n = body.read(buffer)) > 0; ) {
                if (total < 4) {
                    System.arraycopy(buffer, 0, head, (int) total, (int) Math.min(n, 4 - total));
                }
                total += n;
                largestRead = Math.max(largestRead, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (new String(head, 0, 3).equals("bad")) {
            throw ApiException.invalid("the file is not a valid qcow2 image: qemu-img check found 16 corruptions");
        }
        String format = Arrays.equals(head, QCOW2) ? "qcow2" : "raw";
        ImageView done = new ImageView(v.id(), v.name(), format, v.osType(), v.shared(), "ACTIVE", null, total, total,
                "v-" + v.name(), "image-" + v.name(), "s-" + v.name(), "golden", v.policy(), "node-a", v.createdAt(), T0);
        synchronized (this) {
            images.put(v.name(), done);
        }
        return done;
    }

    @Override
    public synchronized void delete(String image) {
        record("delete " + image);
        images.remove(find(image).name());
    }
}
