package io.keel.compute.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QmpLineReaderTest {

    private static ReadableByteChannel of(String s) {
        return Channels.newChannel(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** Hands out one byte per read, as a slow socket might. */
    private static ReadableByteChannel trickle(String s) {
        ByteBuffer all = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
        return new ReadableByteChannel() {
            @Override
            public int read(ByteBuffer dst) {
                if (!all.hasRemaining()) {
                    return -1;
                }
                dst.put(all.get());
                return 1;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
    }

    private static String str(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void splitsLinesAndKeepsTheCarriageReturnForTheCodec() throws Exception {
        for (ReadableByteChannel ch : new ReadableByteChannel[] {of("{\"a\":1}\r\n{\"b\":2}\n\n"), trickle("{\"a\":1}\r\n{\"b\":2}\n\n")}) {
            QmpLineReader r = new QmpLineReader(ch, 100);
            assertThat(str(r.readLine())).isEqualTo("{\"a\":1}\r");
            assertThat(str(r.readLine())).isEqualTo("{\"b\":2}");
            assertThat(str(r.readLine())).isEmpty();
            assertThat(r.readLine()).as("end of stream between lines").isNull();
        }
    }

    @Test
    void aLineOfExactlyTheLimitIsAcceptedOneMoreIsNot() throws Exception {
        QmpLineReader ok = new QmpLineReader(of("x".repeat(10) + "\n"), 10);
        assertThat(ok.readLine()).hasSize(10);
        QmpLineReader tooLong = new QmpLineReader(trickle("x".repeat(11) + "\n"), 10);
        assertThatThrownBy(tooLong::readLine).isInstanceOf(QmpProtocolException.class)
                .hasMessageContaining("line exceeds the limit of 10 bytes without a newline");
    }

    @Test
    void aStreamThatEndsInsideALineIsAnError() {
        QmpLineReader r = new QmpLineReader(of("{\"return\""), 100);
        assertThatThrownBy(r::readLine).isInstanceOf(QmpProtocolException.class)
                .hasMessageContaining("connection closed inside a message (9 bytes without a newline)");
    }

    @Test
    void largeLinesSpanningManyReadsArrive() throws Exception {
        String big = "y".repeat(300_000);
        QmpLineReader r = new QmpLineReader(of(big + "\nz\n"), 1 << 20);
        assertThat(str(r.readLine())).isEqualTo(big);
        assertThat(str(r.readLine())).isEqualTo("z");
    }
}
