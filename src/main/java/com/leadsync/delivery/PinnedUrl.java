package com.leadsync.delivery;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;

/**
 * A URL that passed {@link UrlPolicy}, with the addresses its host resolved to when it was checked.
 * {@link OutboundHttp} connects only to these addresses, so a name cannot switch to another (private) address
 * between the check and the connect (DNS rebinding). Only {@link UrlPolicy} makes one.
 */
public final class PinnedUrl {

    private final URI uri;
    private final String host;
    private final int port;
    private final List<InetAddress> addresses;

    PinnedUrl(URI uri, String host, int port, List<InetAddress> addresses) {
        this.uri = uri;
        this.host = host;
        this.port = port;
        this.addresses = List.copyOf(addresses);
    }

    /** The URL as the user wrote it (the request line and Host header come from it). */
    public URI uri() {
        return uri;
    }

    /** The host name, lower case, without IPv6 brackets or a trailing dot: what TLS verifies. */
    public String host() {
        return host;
    }

    /** The explicit port, or the scheme's default. */
    public int port() {
        return port;
    }

    /** Every address the host resolved to; each one passed the policy. Never empty. */
    public List<InetAddress> addresses() {
        return addresses;
    }

    @Override
    public String toString() {
        return uri + " -> " + addresses;
    }
}
