package io.keel.iscsi.login;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.iscsi.login.TextKeys.Pair;
import org.junit.jupiter.api.Test;

class OperationalKeysTest {
    private static Pair ask(OperationalKeys k, String key, String value) {
        return k.answer(new Pair(key, value));
    }

    @Test
    void numericKeysTakeTheMinimumOrMaximumWithinRange() {
        OperationalKeys k = new OperationalKeys(TargetLimits.defaults());
        assertThat(ask(k, "MaxBurstLength", "16776192").value()).isEqualTo("1048576");
        assertThat(ask(k, "FirstBurstLength", "65536").value()).isEqualTo("65536");
        assertThat(ask(k, "MaxOutstandingR2T", "1").value()).isEqualTo("1");
        assertThat(ask(k, "DefaultTime2Wait", "0").value()).isEqualTo("2");
        assertThat(ask(k, "DefaultTime2Retain", "0").value()).isEqualTo("0");
        assertThat(ask(k, "ErrorRecoveryLevel", "2").value()).isEqualTo("0");
        assertThat(ask(k, "MaxConnections", "8").value()).isEqualTo("1");
        assertThat(ask(k, "MaxBurstLength", "511").value()).isEqualTo("Reject");
        assertThat(ask(k, "MaxOutstandingR2T", "65536").value()).isEqualTo("Reject");
        assertThat(ask(k, "DefaultTime2Wait", "x").value()).isEqualTo("Reject");
        SessionParams p = k.result();
        assertThat(p.maxBurstLength()).isEqualTo(1048576);
        assertThat(p.firstBurstLength()).isEqualTo(65536);
        assertThat(p.maxOutstandingR2T()).isEqualTo(1);
    }

    @Test
    void maxRecvDataSegmentLengthIsDeclarative() {
        OperationalKeys k = new OperationalKeys(TargetLimits.defaults());
        assertThat(ask(k, "MaxRecvDataSegmentLength", "8192")).isNull();
        assertThat(k.declaration()).isEqualTo(new Pair("MaxRecvDataSegmentLength", "262144"));
        assertThat(k.result().initiatorMaxRecv()).isEqualTo(8192);
        assertThat(ask(k, "MaxRecvDataSegmentLength", "100").value()).isEqualTo("Reject");
    }

    @Test
    void booleansFollowAndOrOr() {
        OperationalKeys k = new OperationalKeys(TargetLimits.defaults());
        assertThat(ask(k, "ImmediateData", "Yes").value()).isEqualTo("Yes"); // AND, we say Yes
        assertThat(ask(k, "InitialR2T", "No").value()).isEqualTo("No"); // OR, we say No
        assertThat(ask(k, "DataPDUInOrder", "No").value()).isEqualTo("Yes"); // OR with our Yes
        assertThat(ask(k, "IFMarker", "Yes").value()).isEqualTo("No"); // AND with our No
        assertThat(ask(k, "OFMarker", "maybe").value()).isEqualTo("Reject");
        assertThat(k.result().immediateData()).isTrue();
        assertThat(k.result().initialR2T()).isFalse();

        OperationalKeys strict = new OperationalKeys(new TargetLimits(8192, 65536, 8192, 1, false, true, false, false));
        assertThat(ask(strict, "ImmediateData", "Yes").value()).isEqualTo("No");
        assertThat(ask(strict, "InitialR2T", "No").value()).isEqualTo("Yes");
        assertThat(ask(strict, "HeaderDigest", "CRC32C,None").value()).isEqualTo("None");
        assertThat(strict.result().initialR2T()).isTrue();
    }

    @Test
    void keysNeverOfferedKeepTheirDefaults() {
        SessionParams p = new OperationalKeys(TargetLimits.defaults()).result();
        assertThat(p.initialR2T()).isTrue();
        assertThat(p.immediateData()).isTrue();
        assertThat(p.maxBurstLength()).isEqualTo(262144);
        assertThat(p.firstBurstLength()).isEqualTo(65536);
        assertThat(p.initiatorMaxRecv()).isEqualTo(8192);
        assertThat(p.headerDigest()).isFalse();
    }

    @Test
    void digestsPickTheInitiatorsFirstAcceptableChoice() {
        OperationalKeys k = new OperationalKeys(TargetLimits.defaults());
        assertThat(ask(k, "HeaderDigest", "None,CRC32C").value()).isEqualTo("None");
        assertThat(ask(k, "DataDigest", "CRC32C,None").value()).isEqualTo("CRC32C");
        assertThat(k.result().dataDigest()).isTrue();
        OperationalKeys required = new OperationalKeys(TargetLimits.defaults().withDigestsRequired());
        assertThat(ask(required, "HeaderDigest", "None,CRC32C").value()).isEqualTo("CRC32C");
        assertThat(ask(required, "DataDigest", "None").value()).isEqualTo("Reject");
        assertThat(ask(required, "HeaderDigest", "MD5").value()).isEqualTo("Reject");
    }
}
