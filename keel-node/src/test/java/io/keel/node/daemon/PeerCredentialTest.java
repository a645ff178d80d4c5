package io.keel.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PeerCredentialTest {
    @Test
    void itIsTheHeartbeatsCredentialAndNeverPrintsTheSecret() {
        InternalHttp http = new InternalHttp(false);
        PeerCredential credential = new PeerCredential("node-1", "s3cret-value", http);
        assertThat(credential.authorization()).isEqualTo("Node node-1:s3cret-value");
        assertThat(credential.client()).isSameAs(http.client());
        assertThat(credential.toString()).contains("node-1").doesNotContain("s3cret-value");
    }
}
