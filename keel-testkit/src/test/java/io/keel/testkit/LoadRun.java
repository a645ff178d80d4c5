package io.keel.testkit;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One {@link S3Bench.Job} against one {@link Target} for a fixed time: {@code clients} virtual
 * threads each sending one request at a time. PUT jobs cycle through the job's object names (so
 * the GET job after them finds every object); GET jobs read random ones and check the length.
 * Returns MB/s for objects of 1 MiB and more, operations per second below.
 */
final class LoadRun {
    private final Target target;
    private final S3Bench.Job job;
    private final byte[] payload;
    private final Duration duration;
    private final long existing;
    private long completed;

    /** @param existing for GET jobs, how many of the job's objects the PUT job before wrote */
    LoadRun(Target target, S3Bench.Job job, byte[] payload, Duration duration, long existing) {
        this.target = target;
        this.job = job;
        this.payload = payload;
        this.duration = duration;
        this.existing = Math.min(existing, job.objects());
    }

    /** Requests completed by {@link #run}. */
    long completed() {
        return completed;
    }

    double run() throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicLong next = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < job.clients(); c++) {
            clients.add(Thread.ofVirtual().start(() -> {
                try {
                    while (System.nanoTime() < end && failure.get() == null) {
                        if (job.put()) {
                            put(next.getAndIncrement() % job.objects());
                        } else {
                            get(ThreadLocalRandom.current().nextLong(existing));
                        }
                        done.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        for (Thread t : clients) {
            t.join();
        }
        if (failure.get() != null) {
            throw new IOException(target.name() + " " + job.name() + " failed", failure.get());
        }
        completed = done.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        return job.size() >= 1 << 20 ? done.get() * (double) job.size() / 1e6 / seconds : done.get() / seconds;
    }

    private String path(long object) {
        return "/bench/" + job.name().substring(job.name().indexOf('-') + 1) + "/o" + object;
    }

    private void put(long object) throws IOException {
        HttpRequest r = target.request("PUT", path(object))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(payload, (int) (object % 1024), job.size())).build();
        HttpResponse<byte[]> res = S3Bench.send(target.http(), r);
        if (res.statusCode() / 100 != 2) {
            throw new IOException("PUT " + path(object) + ": " + res.statusCode() + " " + new String(res.body()));
        }
    }

    /** Streams the body away, counting it: 64 MiB bodies held whole by two clients exhaust the heap. */
    private void get(long object) throws IOException {
        HttpResponse<java.io.InputStream> res;
        try {
            res = target.http().send(target.request("GET", path(object)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        long n;
        try (java.io.InputStream in = res.body()) {
            n = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        if (res.statusCode() != 200 || n != job.size()) {
            throw new IOException("GET " + path(object) + ": " + res.statusCode() + ", " + n + " bytes");
        }
    }
}
