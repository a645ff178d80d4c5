package io.keel.node.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class NetInterfacesTest {
    @Test
    void formatsMacAsLowerCaseColonSeparatedHex() {
        byte[] mac = {0x52, 0x54, 0x00, (byte) 0xAB, (byte) 0xCD, 0x0F};

        assertThat(NetInterfaces.formatMac(mac)).isEqualTo("52:54:00:ab:cd:0f");
    }

    @Test
    void missingOrZeroMacIsNull() {
        assertThat(NetInterfaces.formatMac(null)).isNull();
        assertThat(NetInterfaces.formatMac(new byte[0])).isNull();
        assertThat(NetInterfaces.formatMac(new byte[6])).isNull();
    }

    @Test
    void addressesLoseTheirScope() throws Exception {
        byte[] linkLocal = InetAddress.getByName("fe80::1").getAddress();
        InetAddress scoped = Inet6Address.getByAddress(null, linkLocal, 3);

        assertThat(scoped.getHostAddress()).contains("%");
        assertThat(NetInterfaces.formatAddress(scoped)).isEqualTo("fe80:0:0:0:0:0:0:1");
        assertThat(NetInterfaces.formatAddress(InetAddress.getByName("10.1.2.3"))).isEqualTo("10.1.2.3");
    }
}
