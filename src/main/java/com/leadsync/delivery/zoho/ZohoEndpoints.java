package com.leadsync.delivery.zoho;

import com.leadsync.delivery.DeliveryException;
import com.leadsync.delivery.InvalidUrlException;
import com.leadsync.delivery.PinnedUrl;
import com.leadsync.delivery.UrlPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The two Zoho hosts a destination stores (crm.md §A.3, multi-DC): its {@code apiDomain}, which gets the access
 * token, and its {@code accountsServer}, which gets LeadSync's client secret on every refresh. So outside local
 * mode both must be https URLs of a Zoho data centre: a user who could point {@code accountsServer} at a host of
 * theirs would collect the client secret. Where private URLs are allowed ({@code leadsync.allow-private-urls}:
 * local mode and tests) any http(s) URL with a path prefix is accepted, so the offline fake can stand in.
 */
@ApplicationScoped
public class ZohoEndpoints {

    /** Zoho's data centres by top-level part: US, EU, IN, AU, CN, JP, SA, UK; Canada is zohocloud.ca. */
    private static final Set<String> DATA_CENTRES = Set.of("com", "eu", "in", "com.au", "com.cn", "jp", "sa", "uk");

    private final UrlPolicy urlPolicy;
    private final boolean anyHost;

    @Inject
    public ZohoEndpoints(UrlPolicy urlPolicy,
            @ConfigProperty(name = "leadsync.allow-private-urls", defaultValue = "false") boolean anyHost) {
        this.urlPolicy = urlPolicy;
        this.anyHost = anyHost;
    }

    /** What is wrong with {@code url} as config {@code key}, or empty when it may be used. */
    public Optional<String> problem(String key, String url) {
        if (url == null || url.isBlank()) {
            return Optional.of("config." + key + " is required (" + example(key) + ")");
        }
        Optional<String> shape = shapeProblem(key, url.trim());
        if (shape.isPresent()) {
            return shape;
        }
        try {
            urlPolicy.check(url.trim());
        } catch (InvalidUrlException e) {
            // A name that does not resolve right now may be a DNS hiccup: the send retries it instead.
            if (!e.unresolved()) {
                return Optional.of("config." + key + ": " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * {@code base + path}, checked again right before the call (the config may predate a rule, and DNS changes):
     * a refused URL is a permanent failure, an unresolvable host a retryable one.
     */
    public PinnedUrl beforeSend(String key, String base, String path) throws DeliveryException {
        if (base == null || base.isBlank()) {
            throw DeliveryException.permanent("config." + key + " is missing", null);
        }
        Optional<String> shape = shapeProblem(key, base.trim());
        if (shape.isPresent()) {
            throw DeliveryException.permanent(shape.get(), null);
        }
        return urlPolicy.checkBeforeSend(join(base.trim(), path));
    }

    static String join(String base, String path) {
        String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return trimmed + path;
    }

    private Optional<String> shapeProblem(String key, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("config." + key + " is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (anyHost) {
            return scheme.equals("https") || scheme.equals("http") ? Optional.empty()
                    : Optional.of("config." + key + " must be an http(s) URL (" + example(key) + ")");
        }
        if (!scheme.equals("https")) {
            return Optional.of("config." + key + " must be an https:// URL (" + example(key) + ")");
        }
        boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null
                && uri.getPort() == -1;
        boolean zoho = key.equals(ZohoDestination.ACCOUNTS_SERVER) ? isAccountsServer(host) : isApiDomain(host);
        if (!bare || !zoho) {
            return Optional.of("config." + key + " must be the https origin of a Zoho data centre, without a path ("
                    + example(key) + ")");
        }
        return Optional.empty();
    }

    /** {@code accounts.zoho.<dc>} or {@code accounts.zohocloud.ca}. */
    static boolean isAccountsServer(String host) {
        if (host.equals("accounts.zohocloud.ca")) {
            return true;
        }
        return host.startsWith("accounts.zoho.") && DATA_CENTRES.contains(host.substring("accounts.zoho.".length()));
    }

    /** {@code www.zohoapis.<dc>} (what the token response's api_domain says), or another zohoapis host of it. */
    static boolean isApiDomain(String host) {
        for (String dc : DATA_CENTRES) {
            if (host.equals("zohoapis." + dc) || host.endsWith(".zohoapis." + dc)) {
                return true;
            }
        }
        return host.equals("zohoapis.ca") || host.endsWith(".zohoapis.ca");
    }

    private static String example(String key) {
        return key.equals(ZohoDestination.ACCOUNTS_SERVER)
                ? "the accounts server of the Zoho data centre, e.g. https://accounts.zoho.eu"
                : "the api_domain of the Zoho data centre, e.g. https://www.zohoapis.eu";
    }
}
