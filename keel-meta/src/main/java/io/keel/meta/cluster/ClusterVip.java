package io.keel.meta.cluster;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The management virtual IP (ADR 0031): an IPv4 address with its prefix length, put on network
 * interface {@code iface} of whichever node the HA engine chose. IPv4 only, because moving it
 * relies on gratuitous ARP.
 */
public record ClusterVip(String address, int prefix, String iface) {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    /** Linux interface names: at most 15 bytes, no slash, no white space; kept to the usual characters. */
    private static final Pattern IFACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}");

    public ClusterVip {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(iface, "iface");
        var m = IPV4.matcher(address);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an IPv4 address: '" + address + "'");
        }
        int first = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(m.group(i));
            if (octet > 255 || (m.group(i).length() > 1 && m.group(i).startsWith("0"))) {
                throw new IllegalArgumentException("not an IPv4 address: '" + address + "'");
            }
            if (i == 1) {
                first = octet;
            }
        }
        if (first == 0 || first == 127 || first >= 224) {
            throw new IllegalArgumentException(address + " cannot be a virtual IP: it is a "
                    + (first == 127 ? "loopback" : first == 0 ? "'this network'" : "multicast or reserved") + " address");
        }
        if (prefix < 1 || prefix > 32) {
            throw new IllegalArgumentException("prefix length " + prefix + " is out of range: 1 to 32");
        }
        if (!IFACE.matcher(iface).matches()) {
            throw new IllegalArgumentException("not a network interface name: '" + iface
                    + "' (1 to 15 letters, digits, '_', '.', '-')");
        }
    }

    /** {@code ADDRESS/PREFIX} and an interface, as the administrator types them. */
    public static ClusterVip parse(String cidr, String iface) {
        Objects.requireNonNull(cidr, "address");
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + cidr + "' is not ADDRESS/PREFIX (e.g. 192.168.1.50/24)");
        }
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + cidr + "': the prefix length is not a number");
        }
        return new ClusterVip(cidr.substring(0, slash), prefix, iface);
    }

    /** {@code ADDRESS/PREFIX}, as {@code ip addr} takes it. */
    public String cidr() {
        return address + "/" + prefix;
    }
}
