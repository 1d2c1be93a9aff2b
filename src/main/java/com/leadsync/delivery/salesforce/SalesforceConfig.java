package com.leadsync.delivery.salesforce;

import com.leadsync.delivery.InvalidUrlException;
import com.leadsync.delivery.UrlPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Salesforce destination's config (contract §7) with its defaults, and the one place its rules live: the
 * destination validates with it on write and reads it before each send, the token refresher reads its login URL.
 *
 * @param instanceUrl the org's API base (the token response's {@code instance_url}), without a trailing slash
 * @param loginUrl where refresh tokens are exchanged, without a trailing slash
 */
record SalesforceConfig(String instanceUrl, String loginUrl, String externalIdField, String apiVersion,
        DuplicateRule duplicateRule) {

    static final String INSTANCE_URL = "instanceUrl";
    static final String LOGIN_URL = "loginUrl";
    static final String EXTERNAL_ID_FIELD = "externalIdField";
    static final String API_VERSION = "apiVersion";
    static final String DUPLICATE_RULE = "duplicateRule";
    static final String ACCESS_TOKEN = "accessToken";
    static final String REFRESH_TOKEN = "refreshToken";

    static final String DEFAULT_LOGIN_URL = "https://login.salesforce.com";
    static final String DEFAULT_EXTERNAL_ID_FIELD = "LeadSync_Lead_Id__c";
    static final String DEFAULT_API_VERSION = "v62.0";

    /**
     * Salesforce API names: a letter, then letters, digits and single underscores, not ending in one; custom
     * fields end in {@code __c} and may carry a namespace prefix ({@code ns__Field__c}).
     */
    private static final String NAME_PART = "[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*";
    static final Pattern API_NAME = Pattern.compile("(?:" + NAME_PART + "__)?" + NAME_PART + "(?:__c)?");
    private static final Pattern API_VERSION_FORMAT = Pattern.compile("v[0-9]{2}\\.[0-9]");

    /**
     * Hosts a refresh token (and our client secret) may be sent to: Salesforce's login servers and My Domains
     * (login/test.salesforce.com, *.my.salesforce.com, *.sandbox.my.salesforce.com, Government Cloud's
     * salesforce.mil). Anything else could collect our client secret, so it is refused unless private URLs are
     * allowed (local mode, tests), where the local fakes stand in.
     */
    private static final List<String> LOGIN_HOST_SUFFIXES = List.of(".salesforce.com", ".force.com",
            ".salesforce.mil");

    /** What to do when an active duplicate rule blocks the save ({@code DUPLICATES_DETECTED}). */
    enum DuplicateRule {
        /** Update the record the rule matched (and set our external id on it, so later upserts find it). */
        UPDATE("update"),
        /** Save anyway: resend with {@code Sforce-Duplicate-Rule-Header: allowSave=true}. */
        ALLOW_SAVE("allowSave"),
        /** Fail the delivery permanently, naming the matched record. */
        FAIL("fail");

        final String wireName;

        DuplicateRule(String wireName) {
            this.wireName = wireName;
        }

        static DuplicateRule of(String value) {
            for (DuplicateRule rule : values()) {
                if (rule.wireName.equals(value)) {
                    return rule;
                }
            }
            return null;
        }
    }

    /** Reads {@code config} with the contract's defaults; null where a value is unusable (see {@link #problems}). */
    static SalesforceConfig of(Map<String, String> config) {
        String rule = orDefault(config.get(DUPLICATE_RULE), DuplicateRule.UPDATE.wireName);
        return new SalesforceConfig(withoutTrailingSlash(blankToNull(config.get(INSTANCE_URL))),
                withoutTrailingSlash(orDefault(config.get(LOGIN_URL), DEFAULT_LOGIN_URL)),
                orDefault(config.get(EXTERNAL_ID_FIELD), DEFAULT_EXTERNAL_ID_FIELD),
                orDefault(config.get(API_VERSION), DEFAULT_API_VERSION),
                DuplicateRule.of(rule));
    }

    /**
     * The config's problems as sentences. A host that does not resolve right now is not one (a DNS hiccup must not
     * refuse a save; the send retries it).
     *
     * @param allowPrivate local mode or tests: plain http and any login host are accepted for the local fakes
     */
    static List<String> problems(Map<String, String> config, UrlPolicy urlPolicy, boolean allowPrivate) {
        SalesforceConfig c = of(config);
        List<String> problems = new ArrayList<>();
        if (c.instanceUrl == null) {
            problems.add("config.instanceUrl is required (the org's API URL, e.g. https://mydomain.my.salesforce.com)");
        } else {
            urlProblem(INSTANCE_URL, c.instanceUrl, urlPolicy, allowPrivate).ifPresent(problems::add);
        }
        urlProblem(LOGIN_URL, c.loginUrl, urlPolicy, allowPrivate).ifPresent(problems::add);
        if (!allowPrivate && c.loginUrl != null && loginHostProblem(c.loginUrl) != null) {
            problems.add("config.loginUrl: " + loginHostProblem(c.loginUrl));
        }
        String token = config.get(ACCESS_TOKEN);
        if (token == null || token.isBlank()) {
            problems.add("config.accessToken is required (a Salesforce OAuth access token)");
        } else if (token.trim().chars().anyMatch(ch -> ch <= ' ')) {
            problems.add("config.accessToken must not contain spaces or line breaks");
        }
        String refresh = config.get(REFRESH_TOKEN);
        if (refresh != null && refresh.trim().chars().anyMatch(ch -> ch <= ' ')) {
            problems.add("config.refreshToken must not contain spaces or line breaks");
        }
        if (!API_NAME.matcher(c.externalIdField).matches() || c.externalIdField.equalsIgnoreCase("Id")) {
            problems.add("config.externalIdField must be the API name of a Lead field marked External ID (e.g. "
                    + DEFAULT_EXTERNAL_ID_FIELD + "), got '" + c.externalIdField + "'");
        }
        if (!API_VERSION_FORMAT.matcher(c.apiVersion).matches()) {
            problems.add("config.apiVersion must look like v62.0 (at least v46.0), got '" + c.apiVersion + "'");
        } else if (Double.parseDouble(c.apiVersion.substring(1)) < 46.0) {
            // Upsert's "created" flag and sObject Collections upsert both came with v46.
            problems.add("config.apiVersion must be v46.0 or later, got '" + c.apiVersion + "'");
        }
        if (c.duplicateRule == null) {
            problems.add("config.duplicateRule must be update, allowSave or fail, got '"
                    + config.get(DUPLICATE_RULE) + "'");
        }
        return problems;
    }

    /** Why a refresh token may not be sent to {@code loginUrl}'s host, or null when it may. */
    static String loginHostProblem(String loginUrl) {
        String host;
        try {
            host = new URI(loginUrl).getHost();
        } catch (URISyntaxException e) {
            return "not a valid URL";
        }
        if (host == null) {
            return "not a valid URL";
        }
        String h = host.toLowerCase(Locale.ROOT);
        for (String suffix : LOGIN_HOST_SUFFIXES) {
            if (h.endsWith(suffix)) {
                return null;
            }
        }
        return "must be a Salesforce login host (login.salesforce.com, test.salesforce.com or the org's"
                + " *.my.salesforce.com), got '" + host + "'";
    }

    private static Optional<String> urlProblem(String key, String url, UrlPolicy urlPolicy,
            boolean allowPrivate) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("config." + key + " is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowPrivate && scheme.equals("http"))) {
            // The bearer token travels with every call: never in clear text.
            return Optional.of("config." + key + " must be an https:// URL, got '" + url + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return Optional.of("config." + key + " must not have a query or fragment");
        }
        try {
            urlPolicy.check(url);
        } catch (InvalidUrlException e) {
            if (!e.unresolved()) {
                return Optional.of("config." + key + ": " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    private static String orDefault(String value, String fallback) {
        String v = blankToNull(value);
        return v == null ? fallback : v;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String withoutTrailingSlash(String url) {
        if (url == null) {
            return null;
        }
        String u = url;
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }
}
