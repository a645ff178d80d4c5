package io.keel.node.inventory;

import io.keel.meta.cluster.NetInterface;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The network interfaces the JVM sees, via {@link NetworkInterface}. */
final class NetInterfaces {
    private static final Logger LOG = LoggerFactory.getLogger(NetInterfaces.class);
    private static final HexFormat MAC_FORMAT = HexFormat.ofDelimiter(":");

    private NetInterfaces() {}

    /** Sorted by name; empty if the interface list itself cannot be read. */
    static List<NetInterface> list() {
        try {
            return NetworkInterface.networkInterfaces()
                    .map(NetInterfaces::describe)
                    .sorted(Comparator.comparing(NetInterface::name))
                    .toList();
        } catch (SocketException e) {
            LOG.debug("inventory: cannot list network interfaces: {}", e.toString());
            return List.of();
        }
    }

    private static NetInterface describe(NetworkInterface nic) {
        boolean loopback = query(nic, nic::isLoopback, false);
        String mac = loopback ? null : formatMac(query(nic, nic::getHardwareAddress, null));
        List<String> addresses = nic.inetAddresses()
                // IPv4 first: it is what an operator looks for, and the JDK's order varies.
                .sorted(Comparator.comparing(a -> a instanceof Inet6Address))
                .map(NetInterfaces::formatAddress)
                .toList();
        return new NetInterface(
                nic.getName(), mac, addresses, query(nic, nic::isUp, false), query(nic, nic::getMTU, -1));
    }

    /** Lower-case colon-separated hex; null when there is no (or an all-zero) hardware address. */
    static String formatMac(byte[] mac) {
        if (mac == null || mac.length == 0) {
            return null;
        }
        for (byte b : mac) {
            if (b != 0) {
                return MAC_FORMAT.formatHex(mac);
            }
        }
        return null;
    }

    /** Drops the "%scope" suffix: it names the local interface, which the record already says. */
    static String formatAddress(InetAddress address) {
        String text = address.getHostAddress();
        int scope = text.indexOf('%');
        return scope < 0 ? text : text.substring(0, scope);
    }

    private interface SocketQuery<T> {
        T get() throws SocketException;
    }

    /** An interface can vanish between listing and querying; report the fallback then. */
    private static <T> T query(NetworkInterface nic, SocketQuery<T> query, T fallback) {
        try {
            return query.get();
        } catch (SocketException e) {
            LOG.debug("inventory: cannot query interface {}: {}", nic.getName(), e.toString());
            return fallback;
        }
    }
}
