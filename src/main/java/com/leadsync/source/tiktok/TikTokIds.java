package com.leadsync.source.tiktok;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadsync.source.MalformedPayloadException;
import java.util.regex.Pattern;

/**
 * TikTok's ids (advertisers, leads, forms, ads, campaigns) are 19-digit decimals, beyond 2^53: they are kept as their
 * exact digit strings, never passed through a double (providers.md §4.2). TikTok documents them as strings but a
 * payload may carry bare numbers; Jackson keeps integral numbers as long or BigInteger, whose text is exact.
 */
final class TikTokIds {

    /** 32 digits leaves room to grow while keeping an implausible id from ever reaching a table key. */
    private static final Pattern ID = Pattern.compile("[0-9]{1,32}");

    private TikTokIds() {
    }

    static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * The exact text of a string or integer node; absent, null or blank → null. A fractional or exponent number may
     * already have lost digits: refused rather than stored wrong.
     */
    static String text(JsonNode node, String where) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            String s = node.textValue().trim();
            return s.isEmpty() ? null : s;
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        throw new MalformedPayloadException(where + " must be a string or an integer, got " + node.getNodeType());
    }

    /** A required id: present and digits only. */
    static String required(JsonNode node, String where) {
        String id = text(node, where);
        if (id == null) {
            throw new MalformedPayloadException(where + " is missing");
        }
        return checked(id, where);
    }

    /** An optional id: null when absent; present, it must be digits. */
    static String optional(JsonNode node, String where) {
        String id = text(node, where);
        return id == null ? null : checked(id, where);
    }

    /**
     * Form, ad and campaign ids are attribution, not identity: an implausible one is dropped (null) rather than
     * refusing the lead, whose answers are what matters.
     */
    static String hint(JsonNode node) {
        try {
            String id = text(node, "hint");
            return isId(id) ? id : null;
        } catch (MalformedPayloadException e) {
            return null;
        }
    }

    /** {@link #hint(JsonNode)} for a CSV cell. */
    static String hint(String cell) {
        String id = cell == null ? null : cell.trim();
        return isId(id) ? id : null;
    }

    private static String checked(String id, String where) {
        if (!isId(id)) {
            throw new MalformedPayloadException(where + " is not a TikTok id (1 to 32 digits), got "
                    + (id.length() > 40 ? id.length() + " characters" : "\"" + id + "\""));
        }
        return id;
    }
}
