package io.keel.ec;

/**
 * Arithmetic in GF(2^8) with the field polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D), the one ISA-L,
 * Hadoop and most storage systems use, so fragments written by Keel can be checked against them.
 * Elements are ints in 0..255; addition is XOR.
 */
final class Gf256 {
    static final int POLYNOMIAL = 0x11D;

    // Never written after class initialisation and never handed out: effectively immutable.
    private static final int[] EXP = new int[512];
    private static final int[] LOG = new int[256];
    private static final byte[] PRODUCTS = new byte[256 * 256];

    static {
        int x = 1;
        for (int i = 0; i < 255; i++) {
            EXP[i] = x;
            LOG[x] = i;
            x <<= 1;
            if ((x & 0x100) != 0) {
                x ^= POLYNOMIAL;
            }
        }
        // Doubling the table lets mul() skip the reduction modulo 255.
        for (int i = 255; i < EXP.length; i++) {
            EXP[i] = EXP[i - 255];
        }
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                PRODUCTS[(a << 8) | b] = (byte) slowMul(a, b);
            }
        }
    }

    private Gf256() {}

    static int mul(int a, int b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        return EXP[LOG[a] + LOG[b]];
    }

    static int inverse(int a) {
        if (a == 0) {
            throw new ArithmeticException("0 has no inverse in GF(2^8)");
        }
        return EXP[255 - LOG[a]];
    }

    static int div(int a, int b) {
        return mul(a, inverse(b));
    }

    static int exp(int power) {
        return EXP[Math.floorMod(power, 255)];
    }

    /** The 256-entry row of products c * x for every x, read by the scalar kernel's inner loop. */
    static int productRowOffset(int c) {
        return (c & 0xFF) << 8;
    }

    static byte product(int rowOffset, byte x) {
        return PRODUCTS[rowOffset | (x & 0xFF)];
    }

    /** Shift-and-add multiplication: independent of the tables, so tests can check them with it. */
    static int slowMul(int a, int b) {
        int product = 0;
        int x = a & 0xFF;
        int y = b & 0xFF;
        while (y != 0) {
            if ((y & 1) != 0) {
                product ^= x;
            }
            x <<= 1;
            if ((x & 0x100) != 0) {
                x ^= POLYNOMIAL;
            }
            y >>>= 1;
        }
        return product;
    }
}
