package io.keel.iscsi.scsi;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** MODE SENSE 6 and 10 with the caching, control and informational exceptions pages (SBC-3 6.5). */
final class ModePages {
    private ModePages() {}

    private static final int CACHING = 0x08;
    private static final int CONTROL = 0x0a;
    private static final int INFO_EXCEPTIONS = 0x1c;
    private static final int ALL = 0x3f;

    static byte[] sense(ScsiRequest r, LunSpec spec, boolean readOnly) throws SenseException {
        boolean ten = r.u8(0) == Cdbs.MODE_SENSE_10;
        boolean dbd = (r.u8(1) & 0x08) != 0;
        int pc = r.u8(2) >> 6;
        int page = r.u8(2) & 0x3f;
        int subpage = r.u8(3);
        if (pc == 3) {
            throw new SenseException(Sense.of(Sense.ILLEGAL_REQUEST, 0x39, 0x00)); // saving not supported
        }
        if (subpage != 0 && subpage != 0xff) {
            throw new SenseException(Sense.invalidFieldInCdb(3));
        }
        ByteArrayOutputStream pages = new ByteArrayOutputStream();
        boolean changeable = pc == 1;
        switch (page) {
            case CACHING -> pages.writeBytes(caching(changeable));
            case CONTROL -> pages.writeBytes(control(changeable));
            case INFO_EXCEPTIONS -> pages.writeBytes(infoExceptions());
            case ALL -> {
                pages.writeBytes(caching(changeable));
                pages.writeBytes(control(changeable));
                pages.writeBytes(infoExceptions());
            }
            default -> throw new SenseException(Sense.invalidFieldInCdb(2));
        }
        byte[] descriptor = new byte[0];
        if (!dbd) {
            ByteBuffer d = ByteBuffer.allocate(8);
            long count = spec.blocks();
            d.putInt(0, count > 0xffffffffL ? -1 : (int) count);
            d.putInt(4, spec.blockSize() & 0xffffff);
            descriptor = d.array();
        }
        int deviceSpecific = (readOnly ? 0x80 : 0) | 0x10; // WP, DPOFUA
        byte[] body = pages.toByteArray();
        byte[] out;
        if (ten) {
            out = new byte[8 + descriptor.length + body.length];
            int len = out.length - 2;
            out[0] = (byte) (len >> 8);
            out[1] = (byte) len;
            out[3] = (byte) deviceSpecific;
            out[7] = (byte) descriptor.length;
            System.arraycopy(descriptor, 0, out, 8, descriptor.length);
            System.arraycopy(body, 0, out, 8 + descriptor.length, body.length);
            return Cdbs.fit(out, r.u16(7));
        }
        out = new byte[4 + descriptor.length + body.length];
        out[0] = (byte) (out.length - 1);
        out[2] = (byte) deviceSpecific;
        out[3] = (byte) descriptor.length;
        System.arraycopy(descriptor, 0, out, 4, descriptor.length);
        System.arraycopy(body, 0, out, 4 + descriptor.length, body.length);
        return Cdbs.fit(out, r.u8(4));
    }

    /** WCE set: a write is durable only after SYNCHRONIZE CACHE or with FUA, as with the block device. */
    private static byte[] caching(boolean changeable) {
        byte[] p = new byte[20];
        p[0] = CACHING;
        p[1] = 18;
        p[2] = (byte) (changeable ? 0 : 0x04);
        return p;
    }

    private static byte[] control(boolean changeable) {
        byte[] p = new byte[12];
        p[0] = CONTROL;
        p[1] = 10;
        if (!changeable) {
            p[3] = 0x10; // queue algorithm modifier 1: unrestricted reordering
            p[8] = (byte) 0xff; // busy timeout period: unlimited
            p[9] = (byte) 0xff;
        }
        return p;
    }

    private static byte[] infoExceptions() {
        byte[] p = new byte[12];
        p[0] = INFO_EXCEPTIONS;
        p[1] = 10;
        return p;
    }
}
