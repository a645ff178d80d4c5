package io.keel.ec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Gf256Test {
    @Test
    void tablesAgreeWithShiftAndAddMultiplicationForEveryPair() {
        for (int a = 0; a < 256; a++) {
            int row = Gf256.productRowOffset(a);
            for (int b = 0; b < 256; b++) {
                int expected = Gf256.slowMul(a, b);
                assertThat(Gf256.mul(a, b)).as("%d * %d", a, b).isEqualTo(expected);
                assertThat(Gf256.product(row, (byte) b) & 0xFF).as("table %d * %d", a, b).isEqualTo(expected);
            }
        }
    }

    @Test
    void everyNonZeroElementHasAnInverseAndTwoGeneratesTheGroup() {
        for (int a = 1; a < 256; a++) {
            assertThat(Gf256.mul(a, Gf256.inverse(a))).as("%d * 1/%d", a, a).isEqualTo(1);
            assertThat(Gf256.div(Gf256.mul(a, 77), 77)).isEqualTo(a);
        }
        java.util.Set<Integer> powers = new java.util.HashSet<>();
        for (int i = 0; i < 255; i++) {
            powers.add(Gf256.exp(i));
        }
        assertThat(powers).hasSize(255).doesNotContain(0);
        assertThatThrownBy(() -> Gf256.inverse(0)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void theFieldPolynomialIs0x11D() {
        // x^8 reduces to x^4 + x^3 + x^2 + 1.
        assertThat(Gf256.mul(0x80, 2)).isEqualTo(0x1D);
        assertThat(Gf256.POLYNOMIAL).isEqualTo(0x11D);
    }
}
