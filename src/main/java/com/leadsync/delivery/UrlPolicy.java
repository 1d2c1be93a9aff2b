package com.leadsync.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Keeps user-supplied URLs from reaching our own network (SSRF): only absolute http(s) URLs, and unless
 * {@code leadsync.allow-private-urls} is on (local mode), no host that is or resolves to a loopback,
 * private, link-local (cloud metadata), CGNAT, unique-local or otherwise non-public address. Checked when a
 * URL is saved and again right before each send, because DNS can change in between. What remains (DNS
 * rebinding between this check and the connect) would need pinning the resolved address in the HTTP client.
 */
@ApplicationScoped
public class UrlPolicy {

    /** Resolves a host name; a seam so tests need no DNS. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    // IPv4 ranges that are not the public internet: {network, prefix length}.
    private static final int[][] BLOCKED_V4 = {
            {ip(0, 0, 0, 0), 8},        // "this network"; Linux connects 0.0.0.0 to localhost
            {ip(10, 0, 0, 0), 8},
            {ip(100, 64, 0, 0), 10},    // carrier-grade NAT
            {ip(127, 0, 0, 0), 8},
            {ip(169, 254, 0, 0), 16},   // link-local, incl. the 169.254.169.254 metadata service
            {ip(172, 16, 0, 0), 12},
            {ip(192, 0, 0, 0), 24},     // IETF protocol assignments
            {ip(192, 168, 0, 0), 16},
            {ip(198, 18, 0, 0), 15},    // benchmarking
            {ip(224, 0, 0, 0), 4},      // multicast
            {ip(240, 0, 0, 0), 4},      // reserved and broadcast
    };

    private final boolean allowPrivate;
    private final Resolver resolver;

    @Inject
    public UrlPolicy(@ConfigProperty(name = "leadsync.allow-private-urls", defaultValue = "false") boolean allowPrivate) {
        this(allowPrivate, InetAddress::getAllByName);
    }

    public UrlPolicy(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    public boolean allowsPrivate() {
        return allowPrivate;
    }

    /** Returns quietly when {@code url} may be sent to; otherwise says why not. */
    public void check(String url) throws InvalidUrlException {
        if (url == null || url.isBlank()) {
            throw new InvalidUrlException("URL is missing");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new InvalidUrlException("not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new InvalidUrlException("URL must be absolute http:// or https://, got '" + url + "'");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            // URI leaves the host null for names it cannot parse (e.g. with '_'); the HTTP client refuses those too.
            throw new InvalidUrlException("URL has no valid host: '" + url + "'");
        }
        if (allowPrivate) {
            return;
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            throw refused(host, null);
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new InvalidUrlException("host '" + host + "' does not resolve", true);
        }
        if (addresses == null || addresses.length == 0) {
            throw new InvalidUrlException("host '" + host + "' does not resolve", true);
        }
        // Every address counts: the client may pick any of them.
        for (InetAddress address : addresses) {
            if (!isPublic(address)) {
                throw refused(host, address);
            }
        }
    }

    /**
     * {@link #check} for the moment before a send: a refused URL is a permanent failure, a host that does not
     * resolve right now is retryable (DNS hiccups heal; a deleted domain runs out of retries).
     */
    public void checkBeforeSend(String url) throws DeliveryException {
        try {
            check(url);
        } catch (InvalidUrlException e) {
            if (e.unresolved()) {
                throw DeliveryException.retryable(e.getMessage(), null, null);
            }
            throw DeliveryException.permanent("refused URL: " + e.getMessage(), null);
        }
    }

    /** False for loopback, private, link-local, CGNAT, unique-local and other special-purpose addresses. */
    public static boolean isPublic(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return isPublicV4(b);
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return false; // fc00::/7 unique-local
            }
            byte[] embedded = embeddedV4(b);
            return embedded == null || isPublicV4(embedded);
        }
        return false;
    }

    private static boolean isPublicV4(byte[] b) {
        int value = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        for (int[] range : BLOCKED_V4) {
            int mask = -1 << (32 - range[1]);
            if ((value & mask) == (range[0] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The IPv4 address inside IPv4-mapped/-compatible (::/96, ::ffff:0:0/96) and NAT64 (64:ff9b::/96) forms. */
    private static byte[] embeddedV4(byte[] b) {
        boolean firstTenZero = Arrays.equals(Arrays.copyOfRange(b, 0, 10), new byte[10]);
        boolean mapped = firstTenZero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = firstTenZero && b[10] == 0 && b[11] == 0;
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b && Arrays.equals(Arrays.copyOfRange(b, 4, 12), new byte[8]);
        return mapped || compatible || nat64 ? Arrays.copyOfRange(b, 12, 16) : null;
    }

    private static InvalidUrlException refused(String host, InetAddress address) {
        String where = address == null ? "" : " (" + address.getHostAddress() + ")";
        return new InvalidUrlException("host '" + host + "'" + where
                + " is a loopback, private or link-local address; only public hosts are allowed");
    }

    private static int ip(int a, int b, int c, int d) {
        return (a << 24) | (b << 16) | (c << 8) | d;
    }
}
