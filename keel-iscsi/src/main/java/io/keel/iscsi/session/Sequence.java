package io.keel.iscsi.session;

/** Serial number arithmetic on 32-bit sequence numbers (RFC 1982), as CmdSN and StatSN use it. */
final class Sequence {
    private Sequence() {}

    static boolean lessThan(int a, int b) {
        return a != b && (a - b) < 0;
    }
}
