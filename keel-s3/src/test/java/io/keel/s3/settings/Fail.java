package io.keel.s3.settings;

import io.keel.s3.error.S3Exception;

/** The S3 error a parser raises, as "Code: message", or "none". */
final class Fail {
    interface Call {
        void run() throws S3Exception;
    }

    private Fail() {
    }

    static String of(Call c) {
        try {
            c.run();
        } catch (S3Exception e) {
            return e.code().code() + ": " + e.getMessage();
        }
        return "none";
    }
}
