package io.keel.iscsi.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.iscsi.login.LoginResult;
import io.keel.iscsi.login.SessionParams;
import io.keel.iscsi.pdu.FrameReader;
import io.keel.iscsi.pdu.FrameWriter;
import io.keel.iscsi.pdu.Pdu;
import io.keel.iscsi.pdu.Segment;
import io.keel.iscsi.scsi.LogicalUnit;
import io.keel.iscsi.scsi.Luns;
import io.keel.iscsi.scsi.StoredReservations;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Commands of one connection running concurrently: responses, barriers and task management. */
class ConcurrentCommandsTest {
    private static final int SIMPLE = 1;
    private static final int ORDERED = 2;

    private final GatedLun lun = new GatedLun(256);
    private final Wire wire = new Wire();
    private final FullFeaturePhase session = newSession();
    private int cmdSn = 1;
    private int itt = 1;

    /** Collects whole frames as the session writes them. */
    private static final class Wire extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        synchronized List<Pdu> pdus() throws IOException, io.keel.iscsi.pdu.PduException {
            FrameReader r = new FrameReader(new ByteArrayInputStream(bytes.toByteArray()));
            r.configure(false, false, 1 << 20);
            List<Pdu> out = new ArrayList<>();
            for (Pdu p = r.read(); p != null; p = r.read()) {
                out.add(p);
            }
            return out;
        }
    }

    private FullFeaturePhase newSession() {
        LoginResult login = new LoginResult(false, "iqn.2026-12.io.keel:host", "iqn.2026-12.io.keel:t", 1, 1, 0,
                SessionParams.defaults(8192), 1, 1);
        Luns luns = new Luns(Map.of(0, new LogicalUnit(lun, StoredReservations.inMemory())));
        SessionHost host = new SessionHost() {
            @Override
            public Optional<Luns> luns(String targetName) {
                return Optional.of(luns);
            }

            @Override
            public List<String[]> sendTargets(String initiatorName, String localAddress) {
                return List.of();
            }
        };
        return new FullFeaturePhase(login, new FrameWriter(wire), host, "test", "127.0.0.1:3260");
    }

    private static byte[] cdb(int... b) {
        byte[] c = new byte[16];
        for (int i = 0; i < b.length; i++) {
            c[i] = (byte) b[i];
        }
        return c;
    }

    private static byte[] read10(int lba, int blocks) {
        return cdb(0x28, 0, 0, 0, lba >> 8, lba, 0, 0, blocks, 0);
    }

    /** Sends a command; returns its initiator task tag. */
    private int send(int attributes, byte[] cdb, boolean read, int length, byte[] immediate) throws Exception {
        int tag = itt++;
        boolean write = immediate.length > 0;
        session.handle(new Pdu.ScsiCommand(false, true, read, write, attributes, 0, tag, length, cmdSn++, 0,
                Segment.of(cdb), Segment.of(immediate)));
        return tag;
    }

    private int read(int lba, int blocks) throws Exception {
        return send(SIMPLE, read10(lba, blocks), true, blocks * 512, new byte[0]);
    }

    private int write(int lba, byte fill) throws Exception {
        byte[] data = new byte[512];
        java.util.Arrays.fill(data, fill);
        return send(SIMPLE, cdb(0x2a, 0, 0, 0, lba >> 8, lba, 0, 0, 1, 0), false, 512, data);
    }

    /** The status-carrying PDUs sent so far, by initiator task tag, in wire order. */
    private List<Integer> answered() throws Exception {
        List<Integer> tags = new ArrayList<>();
        for (Pdu p : wire.pdus()) {
            switch (p) {
                case Pdu.DataIn d when d.statusPresent() -> tags.add(d.itt());
                case Pdu.ScsiResponse r -> tags.add(r.itt());
                case Pdu.TaskMgmtResponse t -> tags.add(t.itt());
                default -> {}
            }
        }
        return tags;
    }

    private void awaitThat(Predicate<List<Integer>> condition) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.test(answered())) {
            assertThat(System.nanoTime()).as("timed out; answered %s", answered()).isLessThan(end);
            Thread.sleep(5);
        }
    }

    private void awaitInside(int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (lun.inside.get() < n) {
            assertThat(System.nanoTime()).as("only %d I/Os started", lun.inside.get()).isLessThan(end);
            Thread.sleep(2);
        }
    }

    /** Runs handle() on another thread, since a barrier makes it wait. */
    private CompletableFuture<Void> inBackground(Pdu pdu) {
        return CompletableFuture.runAsync(() -> {
            try {
                session.handle(pdu);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void concurrentReadsAllAnswerWithTheirDataAndOneStatSnEach() throws Exception {
        lun.close(true);
        List<Integer> tags = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            tags.add(read(i * 4, 4 + (i % 3) * 8)); // up to 20 blocks: several Data-In PDUs
        }
        awaitInside(16); // all sixteen are in the backend at once
        assertThat(answered()).isEmpty();
        lun.open();
        awaitThat(a -> a.size() == 16);
        assertThat(answered()).containsExactlyInAnyOrderElementsOf(tags);

        List<Integer> statSns = new ArrayList<>();
        Map<Integer, ByteArrayOutputStream> data = new java.util.HashMap<>();
        int lastItt = -1;
        for (Pdu p : wire.pdus()) {
            Pdu.DataIn d = (Pdu.DataIn) p;
            if (lastItt != -1) {
                assertThat(d.itt()).as("one task's Data-In stay together").isEqualTo(lastItt);
            }
            lastItt = d.statusPresent() ? -1 : d.itt();
            data.computeIfAbsent(d.itt(), k -> new ByteArrayOutputStream()).writeBytes(d.data().bytes());
            if (d.statusPresent()) {
                assertThat(d.status()).isZero();
                statSns.add(d.statSn());
            }
        }
        assertThat(statSns).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
        for (int i = 0; i < 16; i++) {
            byte[] got = data.get(tags.get(i)).toByteArray();
            assertThat(got).hasSize((4 + (i % 3) * 8) * 512);
            for (int b = 0; b < got.length; b++) {
                assertThat(got[b]).isEqualTo((byte) (i * 4 + b / 512));
            }
        }
    }

    @Test
    void synchronizeCacheWaitsForEveryEarlierWrite() throws Exception {
        lun.close(true);
        int w1 = write(1, (byte) 1);
        int w2 = write(2, (byte) 2);
        awaitInside(2);
        int sync = itt;
        CompletableFuture<Void> barrier = inBackground(new Pdu.ScsiCommand(false, true, false, false, SIMPLE, 0,
                itt++, 0, cmdSn++, 0, Segment.of(cdb(0x35)), Segment.EMPTY));
        Thread.sleep(100);
        assertThat(barrier).isNotDone();
        assertThat(lun.events).isEmpty();
        lun.open();
        barrier.get(10, TimeUnit.SECONDS);
        awaitThat(a -> a.size() == 3);
        assertThat(answered().subList(0, 2)).containsExactlyInAnyOrder(w1, w2);
        assertThat(answered().get(2)).isEqualTo(sync);
        assertThat(lun.events).containsExactlyInAnyOrder("write 1", "write 2", "flush");
        assertThat(lun.events.getLast()).isEqualTo("flush");
    }

    @Test
    void orderedAndNonDataCommandsWaitForRunningOnes() throws Exception {
        lun.close(true);
        int r1 = read(0, 1);
        awaitInside(1);
        int ordered = itt;
        CompletableFuture<Void> second = inBackground(new Pdu.ScsiCommand(false, true, true, false, ORDERED, 0,
                itt++, 512, cmdSn++, 0, Segment.of(read10(1, 1)), Segment.EMPTY));
        Thread.sleep(100);
        assertThat(second).isNotDone();
        assertThat(lun.inside.get()).as("the ORDERED read has not started").isEqualTo(1);
        lun.open();
        second.get(10, TimeUnit.SECONDS);
        int tur = send(SIMPLE, cdb(0x00), false, 0, new byte[0]); // no I/O: runs inline
        awaitThat(a -> a.size() == 3);
        assertThat(answered()).containsExactly(r1, ordered, tur);
    }

    @Test
    void abortTaskAnswersAfterTheRunningTaskItNames() throws Exception {
        lun.close(true);
        int r1 = read(0, 1);
        awaitInside(1);
        int abort = itt;
        CompletableFuture<Void> tmf = inBackground(new Pdu.TaskMgmtRequest(true, TaskManagement.ABORT_TASK, 0,
                itt++, r1, cmdSn, 0, 1, 0));
        Thread.sleep(100);
        assertThat(tmf).isNotDone();
        lun.open();
        tmf.get(10, TimeUnit.SECONDS);
        awaitThat(a -> a.size() == 2);
        assertThat(answered()).containsExactly(r1, abort);
        Pdu.TaskMgmtResponse response = (Pdu.TaskMgmtResponse) wire.pdus().getLast();
        // The read finished and answered: nothing was left to abort (RFC 7143 11.6.1).
        assertThat(response.response()).isEqualTo(TaskManagement.NO_TASK);
    }

    @Test
    void theReaderWaitsOnceSixtyFourCommandsRun() throws Exception {
        lun.close(true);
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < TaskRunner.MAX_RUNNING + 1; i++) {
                    read(i, 1);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitInside(TaskRunner.MAX_RUNNING);
        Thread.sleep(100);
        assertThat(reader).as("the 65th command waits for room").isNotDone();
        assertThat(lun.inside.get()).isEqualTo(TaskRunner.MAX_RUNNING);
        lun.open();
        reader.get(10, TimeUnit.SECONDS);
        awaitThat(a -> a.size() == TaskRunner.MAX_RUNNING + 1);
        assertThat(lun.mostInside.get()).isEqualTo(TaskRunner.MAX_RUNNING);
    }

    @Test
    void closeWaitsForRunningTasksAndSendsNothingMore() throws Exception {
        lun.close(true);
        read(0, 1);
        read(1, 1);
        awaitInside(2);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(session::close);
        Thread.sleep(100);
        assertThat(closing).isNotDone();
        lun.open();
        closing.get(10, TimeUnit.SECONDS);
        assertThat(answered()).isEmpty();
    }
}
