package io.keel.ec;

import static io.keel.ec.Stripes.SEED;
import static io.keel.ec.Stripes.assertSameBytes;

import java.util.Arrays;
import java.util.Random;
import org.apache.hadoop.io.erasurecode.ErasureCoderOptions;
import org.apache.hadoop.io.erasurecode.rawcoder.RSRawDecoder;
import org.apache.hadoop.io.erasurecode.rawcoder.RSRawEncoder;
import org.junit.jupiter.api.Test;

/**
 * An implementation written by others as the oracle: Hadoop's pure-Java RS coder builds its
 * generator the same way (identity over the Cauchy rows 1/(i ^ j), polynomial 0x11D), so its
 * parity must equal ours byte for byte, and its decoder must rebuild data from our parity.
 */
class HadoopOracleTest {
    private static final int[][] CODES = {{1, 2}, {3, 1}, {2, 2}, {3, 2}, {4, 2}, {5, 2}, {6, 3}, {7, 2}, {8, 3}, {10, 4}, {17, 3}};

    @Test
    void parityEqualsHadoopsForTheSameData() throws Exception {
        Random random = new Random(SEED + 20);
        for (Kernel kernel : Stripes.kernels()) {
            for (int[] code : CODES) {
                for (int length : new int[] {1, 15, 4097}) {
                    ReedSolomon rs = ReedSolomon.of(code[0], code[1], kernel);
                    byte[][] data = Stripes.randomData(random, code[0], length);
                    byte[][] ours = new byte[code[1]][length];
                    rs.encode(data, ours, 0, length);
                    byte[][] theirs = new byte[code[1]][length];
                    new RSRawEncoder(new ErasureCoderOptions(code[0], code[1])).encode(data, theirs);
                    for (int p = 0; p < code[1]; p++) {
                        assertSameBytes(theirs[p], ours[p], rs + " parity " + p + " vs Hadoop, length " + length);
                    }
                }
            }
        }
    }

    @Test
    void hadoopRebuildsLostDataFromOurParity() throws Exception {
        Random random = new Random(SEED + 21);
        for (int[] code : CODES) {
            int m = code[0];
            int n = code[1];
            int length = 1 + random.nextInt(2000);
            ReedSolomon rs = ReedSolomon.of(m, n);
            byte[][] all = new byte[m + n][];
            byte[][] data = Stripes.randomData(random, m, length);
            System.arraycopy(data, 0, all, 0, m);
            byte[][] parity = new byte[n][length];
            rs.encode(data, parity, 0, length);
            System.arraycopy(parity, 0, all, m, n);
            int[] lost = ReedSolomonTest.randomLoss(random, m + n, n);
            byte[][] inputs = Arrays.copyOf(all, m + n);
            for (int i : lost) {
                inputs[i] = null;
            }
            byte[][] outputs = new byte[lost.length][length];
            new RSRawDecoder(new ErasureCoderOptions(m, n)).decode(inputs, lost, outputs);
            for (int k = 0; k < lost.length; k++) {
                assertSameBytes(all[lost[k]], outputs[k], rs + " fragment " + lost[k] + " rebuilt by Hadoop, lost " + Arrays.toString(lost));
            }
        }
    }
}
