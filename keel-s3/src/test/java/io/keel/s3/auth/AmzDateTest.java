package io.keel.s3.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AmzDateTest {
    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    @Test
    void parsesTheBasicForm() {
        assertThat(AmzDate.parseBasic("20130524T000000Z")).contains(Instant.parse("2013-05-24T00:00:00Z"));
        assertThat(AmzDate.parseBasic("20241231T235959Z")).contains(Instant.parse("2024-12-31T23:59:59Z"));
        assertThat(AmzDate.parseBasic("20240229T120000Z")).contains(Instant.parse("2024-02-29T12:00:00Z"));
    }

    @Test
    void refusesEverythingElse() {
        for (String bad : new String[] {null, "", "20130524T000000", "20130524T000000ZZ", "20130524 000000Z",
                "2013-05-24T00:00:00Z", "20130524T00000aZ", "2013052+T000000Z", "20130231T000000Z",
                "20130524T250000Z", "20130524T006000Z", "20131324T000000Z", "20230229T000000Z",
                "20130524t000000Z", "20130524T000000z", "２０130524T000000Z"}) {
            assertThat(AmzDate.parseBasic(bad)).as(String.valueOf(bad)).isEmpty();
        }
    }

    @Test
    void formatsAndParsesLikeTheFormatter() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 10_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L), random.nextInt(1_000_000_000));
            String expected = REFERENCE.format(t);
            assertThat(AmzDate.formatBasic(t)).as("seed %d, %s", seed, t).isEqualTo(expected);
            assertThat(AmzDate.parseBasic(expected)).as("seed %d", seed)
                    .contains(Instant.ofEpochSecond(t.getEpochSecond()));
        }
    }
}
