package com.leadsync.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Keeps user-supplied URLs from reaching our own network (SSRF): only absolute http(s) URLs, and unless
 * {@code leadsync.allow-private-urls} is on (local mode), no host that is or resolves to a loopback,
 * private, link-local (cloud metadata), CGNAT, unique-local or otherwise non-public address, IPv4 hidden in
 * IPv6 (mapped, NAT64, 6to4, Teredo) included. Checked when a URL is saved and again right before each send;
 * the check before a send returns a {@link PinnedUrl} holding the addresses it checked, and
 * {@link OutboundHttp} connects only to those, so a name cannot rebind to a private address in between.
 * Numeric hosts must be canonical dotted quads: {@code 0177.0.0.1}, {@code 0x7f.1}, {@code 127.1} or
 * {@code 2130706433} mean 127.0.0.1 to browsers, curl and inet_aton, while Java reads some of them as other
 * (public) addresses, so a URL that we check one way could be read another way by whoever sees it next.
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

    // WHATWG URL: a host whose last label is a number (decimal, 0x hex or 0-octal) is parsed as IPv4.
    private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0x[0-9a-f]*");
    private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
    private static final Pattern CANONICAL_V4 = Pattern.compile(OCTET + "(?:\\." + OCTET + "){3}");

    private final boolean allowPrivate;
    private final Resolver resolver;
    private final Predicate<InetAddress> allowedAddress;

    @Inject
    public UrlPolicy(@ConfigProperty(name = "leadsync.allow-private-urls", defaultValue = "false") boolean allowPrivate) {
        this(allowPrivate, InetAddress::getAllByName);
    }

    public UrlPolicy(boolean allowPrivate, Resolver resolver) {
        this(allowPrivate, resolver, allowPrivate ? address -> true : UrlPolicy::isPublic);
    }

    /**
     * Strict naming rules, but {@code allowedAddress} decides which resolved addresses may be connected to: a
     * seam for tests that stand in for the public internet with loopback (WireMock) without real DNS.
     */
    public UrlPolicy(Resolver resolver, Predicate<InetAddress> allowedAddress) {
        this(false, resolver, allowedAddress);
    }

    private UrlPolicy(boolean allowPrivate, Resolver resolver, Predicate<InetAddress> allowedAddress) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
        this.allowedAddress = allowedAddress;
    }


    /**
     * Returns the URL with the addresses it was checked against when {@code url} may be sent to; otherwise
     * says why not. Resolves the host once (IP literals are not looked up), also in local mode, so that what
     * is sent is always what was checked.
     */
    public PinnedUrl check(String url) throws InvalidUrlException {
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
            // URI leaves the host null for names it cannot parse (e.g. with '_', or 127.1); so do HTTP clients.
            String written = hostAsWritten(uri.getRawAuthority());
            if (written != null && isAmbiguousNumeric(written)) {
                throw ambiguous(written);
            }
            throw new InvalidUrlException("URL has no valid host: '" + url + "'");
        }
        host = host.toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        if (host.startsWith("[") && host.endsWith("]")) {
            String literal = host.substring(1, host.length() - 1);
            return pinned(uri, literal, port, new InetAddress[] {ipv6Literal(literal)});
        }
        if (isAmbiguousNumeric(host)) {
            throw ambiguous(host);
        }
        if (CANONICAL_V4.matcher(host).matches()) {
            return pinned(uri, host, port, new InetAddress[] {ipv4Literal(host)});
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (!allowPrivate && (host.equals("localhost") || host.endsWith(".localhost"))) {
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
        return pinned(uri, host, port, addresses);
    }

    /**
     * {@link #check} for the moment before a send: a refused URL is a permanent failure, a host that does not
     * resolve right now is retryable (DNS hiccups heal; a deleted domain runs out of retries). Send to the
     * returned {@link PinnedUrl}, not to the string: that is what was checked.
     */
    public PinnedUrl checkBeforeSend(String url) throws DeliveryException {
        try {
            return check(url);
        } catch (InvalidUrlException e) {
            if (e.unresolved()) {
                throw DeliveryException.retryable(e.getMessage(), null, null);
            }
            throw DeliveryException.permanent("refused URL: " + e.getMessage(), null);
        }
    }

    private PinnedUrl pinned(URI uri, String host, int port, InetAddress[] addresses) throws InvalidUrlException {
        // Every address must pass: the send uses the first, and resolvers rotate their order.
        for (InetAddress address : addresses) {
            if (!allowedAddress.test(address)) {
                throw refused(host, address);
            }
        }
        return new PinnedUrl(uri, host, port, Arrays.asList(addresses));
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
            // A relay or the OS may deliver these to the IPv4 inside, so that one must be public too.
            return embeddedV4(b).stream().allMatch(UrlPolicy::isPublicV4);
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

    /**
     * The IPv4 addresses inside IPv4-mapped/-compatible (::ffff:0:0/96, ::/96), IPv4-translated
     * (::ffff:0:0:0/96), NAT64 (64:ff9b::/96), 6to4 (2002::/16, bits 16-47) and Teredo (2001::/32: the
     * server in bits 32-63, the client in the last 32 bits, inverted) forms.
     */
    private static List<byte[]> embeddedV4(byte[] b) {
        List<byte[]> found = new ArrayList<>();
        boolean firstEightZero = isZero(b, 0, 8);
        boolean mapped = firstEightZero && isZero(b, 8, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = firstEightZero && isZero(b, 8, 12);
        boolean translated = firstEightZero && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && isZero(b, 10, 12);
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b && isZero(b, 4, 12);
        if (mapped || compatible || translated || nat64) {
            found.add(Arrays.copyOfRange(b, 12, 16));
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            found.add(Arrays.copyOfRange(b, 2, 6));
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && isZero(b, 2, 4)) {
            found.add(Arrays.copyOfRange(b, 4, 8));
            byte[] client = Arrays.copyOfRange(b, 12, 16);
            for (int i = 0; i < client.length; i++) {
                client[i] = (byte) ~client[i];
            }
            found.add(client);
        }
        return found;
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Numeric to a URL parser (its last label is a number) but not a canonical dotted quad. */
    static boolean isAmbiguousNumeric(String host) {
        String[] labels = host.toLowerCase(Locale.ROOT).split("\\.", -1);
        String last = labels[labels.length - 1];
        if (last.isEmpty() && labels.length > 1) {
            last = labels[labels.length - 2]; // "127.0.0.1." ends in a number too
        }
        return NUMERIC_LABEL.matcher(last).matches() && !CANONICAL_V4.matcher(host).matches();
    }

    /** The host part of an authority java.net.URI could not parse: without user info and port. */
    private static String hostAsWritten(String authority) {
        if (authority == null) {
            return null;
        }
        String host = authority.substring(authority.lastIndexOf('@') + 1);
        int colon = host.lastIndexOf(':');
        if (colon >= 0 && host.indexOf(']') < 0 && host.substring(colon + 1).chars().allMatch(Character::isDigit)) {
            host = host.substring(0, colon);
        }
        return host;
    }

    private static InetAddress ipv4Literal(String dottedQuad) throws InvalidUrlException {
        String[] parts = dottedQuad.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i]);
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new InvalidUrlException("not a valid IPv4 address: '" + dottedQuad + "'");
        }
    }

    private static InetAddress ipv6Literal(String literal) throws InvalidUrlException {
        // A literal with ':' is parsed, never looked up; URI has already checked its syntax.
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new InvalidUrlException("not a valid IPv6 address: '" + literal + "'");
        }
    }

    private static InvalidUrlException ambiguous(String host) {
        return new InvalidUrlException("host '" + host + "' is an ambiguous numeric host: HTTP clients read such "
                + "forms differently (0177.0.0.1, 0x7f.1, 127.1 and 2130706433 all mean 127.0.0.1 to some); write "
                + "an IPv4 address as four decimal numbers 0-255 without leading zeros or a trailing dot, "
                + "e.g. 203.0.113.7, or use a host name");
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
