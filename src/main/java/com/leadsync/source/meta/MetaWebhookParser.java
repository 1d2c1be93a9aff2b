package com.leadsync.source.meta;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.lead.InstantRange;
import com.leadsync.model.ProviderType;
import com.leadsync.source.LeadNotice;
import com.leadsync.source.MalformedPayloadException;
import com.leadsync.source.WebhookBatch;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Reads Meta's page webhook (providers.md §1.1) into one {@link LeadNotice} per {@code leadgen} change. The webhook
 * carries ids only; the answers are fetched afterwards, so this only has to get the ids exactly right.
 */
public final class MetaWebhookParser {

    /**
     * Meta's ids are decimal digit strings (page ids 15-16 digits, ad ids 18); 32 digits leaves room to grow while
     * keeping an implausible id (a huge or non-numeric {@code page_id}) from ever reaching a table key: its change is
     * malformed (skipped, see {@link WebhookBatch}), never a failed write (a 5xx would have Meta retry the batch for
     * 36 hours).
     */
    private static final Logger LOG = Logger.getLogger(MetaWebhookParser.class);
    private static final Pattern META_ID = Pattern.compile("[0-9]{1,32}");

    private MetaWebhookParser() {
    }

    /**
     * Notices in payload order. Payloads for other objects and changes of other fields are not ours (one callback
     * URL serves every subscription of the app) and yield nothing, rather than an error Meta would keep retrying.
     * An entry that is not an object, and a leadgen change without a plausible lead id or page id, is skipped and
     * logged; the batch's other leads (of this and other pages) are kept (see {@link WebhookBatch}).
     *
     * @throws MalformedPayloadException when the body is not JSON, is not an object, has no {@code object} or
     *     {@code entry} array, or not one of its entries and changes is readable
     */
    public static List<LeadNotice> parse(byte[] body, ObjectMapper mapper) {
        JsonNode root = readTree(body, mapper);
        if (!root.isObject()) {
            throw new MalformedPayloadException("Meta webhook body must be a JSON object");
        }
        JsonNode object = root.get("object");
        if (object == null || !object.isTextual()) {
            throw new MalformedPayloadException("Meta webhook body has no \"object\" string");
        }
        if (!"page".equals(object.textValue())) {
            return List.of();
        }
        JsonNode entries = root.get("entry");
        if (entries == null || !entries.isArray()) {
            throw new MalformedPayloadException("Meta webhook \"entry\" must be an array");
        }
        WebhookBatch batch = new WebhookBatch("Meta");
        for (int e = 0; e < entries.size(); e++) {
            JsonNode entry = entries.get(e);
            String where = "entry[" + e + "]";
            if (!entry.isObject()) {
                batch.malformed(new MalformedPayloadException(where + " must be an object"));
                continue;
            }
            JsonNode changes = entry.get("changes");
            if (changes == null || changes.isNull()) {
                continue; // page entries for other features (e.g. messaging) have no changes
            }
            if (!changes.isArray()) {
                batch.malformed(new MalformedPayloadException(where + ".changes must be an array"));
                continue;
            }
            for (int c = 0; c < changes.size(); c++) {
                JsonNode change = changes.get(c);
                String at = where + ".changes[" + c + "]";
                batch.entry(() -> leadgenNotice(entry, change, at));
            }
        }
        return batch.notices();
    }

    private static LeadNotice leadgenNotice(JsonNode entry, JsonNode change, String where) {
        if (!change.isObject()) {
            throw new MalformedPayloadException(where + " must be an object");
        }
        JsonNode field = change.get("field");
        if (field == null || !"leadgen".equals(field.asText())) {
            return null;
        }
        JsonNode value = change.get("value");
        if (value == null || !value.isObject()) {
            throw new MalformedPayloadException(where + " is a leadgen change without a \"value\" object");
        }
        String leadId = webhookId(value.get("leadgen_id"), where + ".value.leadgen_id");
        if (leadId == null) {
            throw new MalformedPayloadException(where + " is a leadgen change without \"leadgen_id\"");
        }
        String pageId = webhookId(value.get("page_id"), where + ".value.page_id");
        if (pageId == null) {
            pageId = webhookId(entry.get("id"), where.substring(0, where.indexOf(".changes")) + ".id");
        }
        if (pageId == null) {
            throw new MalformedPayloadException(where + " has neither \"value.page_id\" nor an entry \"id\"");
        }
        String adId = hint(() -> webhookId(value.get("ad_id"), where + ".value.ad_id"));
        if (adId == null) {
            adId = hint(() -> webhookId(value.get("adgroup_id"), where + ".value.adgroup_id")); // legacy name
        }
        return LeadNotice.idsOnly(
                ProviderType.META_LEAD_ADS,
                pageId,
                leadId,
                hint(() -> webhookId(value.get("form_id"), where + ".value.form_id")),
                adId,
                hint(() -> unixSeconds(value.get("created_time"), where + ".value.created_time")));
    }

    /**
     * Form, ad and time are hints (the fetch reads the lead's own): an implausible one is dropped rather than
     * refusing the batch, whose other leads Meta would then never deliver.
     */
    private static <T> T hint(Supplier<T> read) {
        try {
            return read.get();
        } catch (MalformedPayloadException e) {
            LOG.warnf("Meta webhook hint dropped: %s", e.getMessage());
            return null;
        }
    }

    /** Meta's ids (pages, leads, forms, ads) are digit strings; 32 digits is far beyond any seen. */
    static boolean isMetaId(String id) {
        return META_ID.matcher(id).matches();
    }

    /** {@link #idText}, and then only a plausible Meta id. */
    private static String webhookId(JsonNode node, String where) {
        String id = idText(node, where);
        if (id != null && !isMetaId(id)) {
            throw new MalformedPayloadException(where + " is not a Meta id (1 to 32 digits), got "
                    + (id.length() > 40 ? id.length() + " characters" : "\"" + id + "\""));
        }
        return id;
    }

    /**
     * An id as its exact decimal string. Meta documents ids as strings but some payloads carry bare numbers, and
     * ids exceed 2^53, so a number must never pass through a double: Jackson keeps integral numbers as long or
     * BigInteger, whose text is exact. Absent, null or blank → null. Shared with {@link MetaLeadMapper}.
     */
    static String idText(JsonNode node, String where) {
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
        // A fractional or exponent number may already have lost digits; refuse rather than store a wrong id.
        throw new MalformedPayloadException(where + " must be a string or an integer, got " + node.getNodeType());
    }

    private static Instant unixSeconds(JsonNode node, String where) {
        String text = idText(node, where); // same shapes as an id: integer or digit string
        if (text == null) {
            return null;
        }
        Instant t;
        try {
            t = Instant.ofEpochSecond(Long.parseLong(text));
        } catch (NumberFormatException | DateTimeException e) {
            throw new MalformedPayloadException(where + " must be unix seconds, got \"" + text + "\"", e);
        }
        if (!InstantRange.contains(t)) {
            throw new MalformedPayloadException(where + " is out of range: must be " + InstantRange.describe());
        }
        return t;
    }

    private static JsonNode readTree(byte[] body, ObjectMapper mapper) {
        if (body == null || body.length == 0) {
            throw new MalformedPayloadException("Meta webhook body is empty");
        }
        try {
            // Trailing garbage after the object means a truncated or concatenated body: reject it as not JSON.
            JsonNode root = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
            if (root == null || root.isMissingNode()) {
                throw new MalformedPayloadException("Meta webhook body is empty");
            }
            return root;
        } catch (JacksonException e) {
            throw new MalformedPayloadException("Meta webhook body is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MalformedPayloadException("Meta webhook body could not be read", e);
        }
    }
}
