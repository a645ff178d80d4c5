package io.keel.api.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ConsoleTicketsTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final ConsoleTickets tickets = new ConsoleTickets(clock, new SecureRandom(), Duration.ofSeconds(30));
    private final ConsoleTickets.Grant grant = new ConsoleTickets.Grant("vm1", ConsoleKind.SERIAL, "superadmin");

    @Test
    void aTicketIsRedeemedOnceForItsVmAndKind() {
        ConsoleTickets.Issued issued = tickets.issue(grant).orElseThrow();
        assertThat(issued.expiresAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(issued.toString()).doesNotContain(issued.ticket());
        assertThat(tickets.redeem(issued.ticket(), "vm1", ConsoleKind.SERIAL)).isEqualTo(grant);
        assertThatThrownBy(() -> tickets.redeem(issued.ticket(), "vm1", ConsoleKind.SERIAL))
                .isInstanceOf(ConsoleTickets.RefusedException.class);
        assertThat(tickets.outstanding()).isZero();
    }

    @Test
    void expiredForeignAndForgedTicketsAreRefused() {
        String expired = tickets.issue(grant).orElseThrow().ticket();
        now.set(T0.plusSeconds(30));
        assertThatThrownBy(() -> tickets.redeem(expired, "vm1", ConsoleKind.SERIAL)).isInstanceOf(ConsoleTickets.RefusedException.class);
        String forVnc = tickets.issue(grant).orElseThrow().ticket();
        assertThatThrownBy(() -> tickets.redeem(forVnc, "vm1", ConsoleKind.VNC)).isInstanceOf(ConsoleTickets.RefusedException.class);
        String forged = tickets.issue(grant).orElseThrow().ticket();
        String wrongSecret = forged.substring(0, forged.indexOf('.') + 1) + "A".repeat(43);
        assertThatThrownBy(() -> tickets.redeem(wrongSecret, "vm1", ConsoleKind.SERIAL)).isInstanceOf(ConsoleTickets.RefusedException.class);
        // A wrong guess does not burn the real ticket (its id alone is not proof of anything).
        assertThat(tickets.redeem(forged, "vm1", ConsoleKind.SERIAL)).isEqualTo(grant);
        for (String bad : new String[] {null, "", ".", "x", ".abc", "abc."}) {
            assertThatThrownBy(() -> tickets.redeem(bad, "vm1", ConsoleKind.SERIAL)).isInstanceOf(ConsoleTickets.RefusedException.class);
        }
    }

    @Test
    void racingRedemptionsOfOneTicketLetExactlyOneIn() throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int round = 0; round < 50; round++) {
                String t = tickets.issue(grant).orElseThrow().ticket();
                List<Callable<Boolean>> tries = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    tries.add(() -> {
                        try {
                            tickets.redeem(t, "vm1", ConsoleKind.SERIAL);
                            return true;
                        } catch (ConsoleTickets.RefusedException e) {
                            return false;
                        }
                    });
                }
                int wins = 0;
                for (Future<Boolean> f : pool.invokeAll(tries)) {
                    wins += f.get() ? 1 : 0;
                }
                assertThat(wins).isEqualTo(1);
            }
        }
    }

    @Test
    void outstandingTicketsAreBoundedAndExpiredOnesMakeRoom() {
        for (int i = 0; i < ConsoleTickets.MAX_OUTSTANDING; i++) {
            assertThat(tickets.issue(grant)).isPresent();
        }
        assertThat(tickets.issue(grant)).isEmpty();
        now.set(T0.plusSeconds(31));
        assertThat(tickets.issue(grant)).isPresent();
        assertThat(tickets.outstanding()).isEqualTo(1);
    }
}
