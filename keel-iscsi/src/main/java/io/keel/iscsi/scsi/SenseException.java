package io.keel.iscsi.scsi;

import java.util.Objects;

/** Ends a command with CHECK CONDITION and the given sense. Cheap: no stack trace. */
public final class SenseException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Sense sense;

    public SenseException(Sense sense) {
        super("sense key " + sense.key() + " asc " + Integer.toHexString(sense.asc()) + "/"
                + Integer.toHexString(sense.ascq()), null, false, false);
        this.sense = Objects.requireNonNull(sense, "sense");
    }

    public Sense sense() {
        return sense;
    }
}
