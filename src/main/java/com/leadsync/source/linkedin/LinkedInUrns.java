package com.leadsync.source.linkedin;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LinkedIn's URNs (providers.md §3.2, §3.3) and their Rest.li 2.0 query encoding (§3.1): read the ids we
 * keep out of URNs, and write the URNs the API wants back, percent-encoded inside {@code (...)}.
 */
final class LinkedInUrns {

    static final String SPONSORED_ACCOUNT = "urn:li:sponsoredAccount:";
    static final String LEAD_RESPONSE = "urn:li:leadGenFormResponse:";
    static final String CREATIVE = "urn:li:sponsoredCreative:";
    static final String CAMPAIGN = "urn:li:sponsoredCampaign:";

    /** Sponsored ad account ids are numbers (9 digits today); 20 digits is any long. */
    private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{1,20}");

    /**
     * Lead (form response) ids look like {@code 249592fc-d272-44ba-a7db-c2bdce579507-6}. The bound keeps an
     * implausible id out of table keys and URLs (a 400, not a failed write LinkedIn would retry).
     */
    private static final Pattern LEAD_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._~-]{0,127}");

    /** Form, creative and campaign ids are numbers, some beyond 2^53 (form 6955637458260688897): kept as text. */
    private static final Pattern NUMERIC_ID = Pattern.compile("[0-9]{1,32}");

    /** {@code urn:li:versionedLeadGenForm:(urn:li:leadGenForm:3162,1)} → form 3162, version 1. */
    private static final Pattern VERSIONED_FORM = Pattern.compile(
            "urn:li:versionedLeadGenForm:\\(urn:li:leadGenForm:([0-9]{1,32}),([0-9]{1,12})\\)");

    private LinkedInUrns() {
    }

    /** A form version as the response references it. */
    record FormVersion(String formId, String version) {
        String urn() {
            return "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:" + formId + "," + version + ")";
        }
    }

    static boolean isAccountId(String id) {
        return id != null && ACCOUNT_ID.matcher(id).matches();
    }

    static boolean isLeadId(String id) {
        return id != null && LEAD_ID.matcher(id).matches();
    }

    static boolean isNumericId(String id) {
        return id != null && NUMERIC_ID.matcher(id).matches();
    }

    /** The id after {@code prefix}, or empty when {@code urn} is not of that kind. */
    static Optional<String> idOf(String urn, String prefix) {
        if (urn == null || !urn.startsWith(prefix) || urn.length() == prefix.length()) {
            return Optional.empty();
        }
        return Optional.of(urn.substring(prefix.length()));
    }

    /** The numeric id of a URN field such as {@code associatedCreative}; null when absent or of another shape. */
    static String numericId(JsonNode urn, String prefix) {
        return urn != null && urn.isTextual()
                ? idOf(urn.textValue(), prefix).filter(LinkedInUrns::isNumericId).orElse(null)
                : null;
    }

    /** The form version a {@code versionedLeadGenFormUrn} (or a notification's {@code leadGenForm}) names. */
    static Optional<FormVersion> formVersion(JsonNode urn) {
        return urn != null && urn.isTextual() ? formVersion(urn.textValue()) : Optional.empty();
    }

    static Optional<FormVersion> formVersion(String urn) {
        if (urn == null) {
            return Optional.empty();
        }
        Matcher m = VERSIONED_FORM.matcher(urn.trim());
        return m.matches() ? Optional.of(new FormVersion(m.group(1), m.group(2))) : Optional.empty();
    }

    /**
     * A value as it goes on the wire inside a Rest.li 2.0 query: every reserved character of a URN
     * percent-encoded ({@code urn:li:x:1} → {@code urn%3Ali%3Ax%3A1}), while the Rest.li syntax around it
     * ({@code (}, {@code )}, {@code ,}, {@code :} between key and value) stays literal. The client must not
     * encode it again (see {@link LinkedInApi}).
     */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code (sponsoredAccount:urn%3Ali%3AsponsoredAccount%3A{id})}, the {@code owner} of a listing. */
    static String ownerParam(String accountId) {
        return "(sponsoredAccount:" + encode(SPONSORED_ACCOUNT + accountId) + ")";
    }

    /** The versioned form URN with its inner URN encoded too, as the {@code versionedLeadGenFormUrn} filter. */
    static String formFilterParam(FormVersion form) {
        return encode("urn:li:versionedLeadGenForm:") + "(" + encode("urn:li:leadGenForm:" + form.formId()) + ","
                + form.version() + ")";
    }
}
