package io.keel.testkit;

import io.keel.testkit.guest.GuestSerial;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A counter the test guest prints on its serial console five times a second, in the background:
 * its values in the serial log show whether the guest ran, and whether it carried on from where
 * it was (a migration, a resume) or started again (a boot).
 */
final class GuestCounter {
    private static final Pattern COUNT = Pattern.compile("^COUNT (\\d+)\\s*$", Pattern.MULTILINE);

    private GuestCounter() {}

    static void start(GuestSerial serial) throws InterruptedException {
        serial.command("run i=0; while true; do echo COUNT $i; i=$((i+1)); sleep 0.2; done >/dev/ttyS0 2>&1 &",
                Duration.ofSeconds(10));
    }

    /** The values in {@code text} from character {@code offset} on, in order. */
    static List<Long> after(String text, int offset) {
        Matcher m = COUNT.matcher(text.length() > offset ? text.substring(offset) : "");
        List<Long> out = new ArrayList<>();
        while (m.find()) {
            out.add(Long.parseLong(m.group(1)));
        }
        return out;
    }

    /** The last value in {@code text}. */
    static OptionalLong last(String text) {
        List<Long> all = after(text, 0);
        return all.isEmpty() ? OptionalLong.empty() : OptionalLong.of(all.getLast());
    }
}
