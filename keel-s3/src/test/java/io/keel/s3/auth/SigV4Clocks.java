package io.keel.s3.auth;

import io.keel.s3.SdkSigner;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;

/** A fixed time and a verifier that knows the SDK test key, for tests outside this package. */
public final class SigV4Clocks {
    public static final Instant NOW = Instant.parse("2026-12-03T10:20:30Z");

    private SigV4Clocks() {
    }

    public static SigV4Verifier verifier() {
        return new SigV4Verifier(k -> k.equals(SdkSigner.ACCESS_KEY) ? Optional.of(SdkSigner.SECRET) : Optional.empty(),
                Clock.fixed(NOW, ZoneOffset.UTC), Set.of(), SigV4Verifier.DEFAULT_MAX_SKEW);
    }
}
