package com.leadsync.source.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadsync.lead.FieldNormalizer;
import com.leadsync.model.Lead;
import com.leadsync.model.NormalizedLead;
import com.leadsync.model.ProviderType;
import com.leadsync.source.MalformedPayloadException;
import com.leadsync.source.MappingContext;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps a Graph API lead object ({@code GET /{lead-id}} or one item of {@code /{form-id}/leads}, providers.md §1.2)
 * to the contract's lead (contract.md §1) using the standard keys of providers.md §1.3.
 */
public final class MetaLeadMapper {

    // Graph's own format: offset without a colon ("+0000"), which ISO_OFFSET_DATE_TIME rejects.
    private static final DateTimeFormatter GRAPH_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ", Locale.ROOT);

    /* Candidate keys per typed field, lower-case, in order of preference. */
    private static final List<String> EMAIL_KEYS = List.of("email", "work_email");
    private static final List<String> PHONE_KEYS = List.of("phone_number", "phone", "work_phone_number");
    private static final List<String> COMPANY_KEYS = List.of("company_name", "company");

    /*
     * Keys that feed a typed field and therefore never land in rawFieldData. work_email and work_phone_number are
     * absent on purpose: they are fallbacks, and when not used they are ordinary standard answers.
     */
    private static final Set<String> TYPED_KEYS = Set.of(
            "email", "first_name", "last_name", "full_name", "phone_number", "phone", "company_name", "company");

    /*
     * Meta's other standard questions (providers.md §1.3), which go to rawFieldData. "zip", "dob" and
     * "maritial_status" (sic) are the question-type spellings that older leads use as keys.
     */
    private static final Set<String> OTHER_STANDARD_KEYS = Set.of(
            "job_title", "city", "state", "province", "country", "zip_code", "zip", "post_code", "street_address",
            "date_of_birth", "dob", "gender", "marital_status", "maritial_status", "relationship_status",
            "military_status", "work_email", "work_phone_number");

    /* What the Lead Ads Testing Tool puts in every answer and as the email (providers.md §1.7). */
    private static final String TEST_VALUE_PREFIX = "<test lead:";
    private static final Set<String> TEST_EMAILS = Set.of("test@meta.com", "test@fb.com");

    private MetaLeadMapper() {
    }

    /**
     * The normalized lead with its form, ad and campaign ids (null when the platform does not say, as for organic
     * and test leads).
     *
     * @throws MalformedPayloadException when {@code lead} is not an object, or its {@code id} or
     *     {@code created_time} is missing or unreadable
     */
    public static NormalizedLead map(JsonNode lead, MappingContext ctx) {
        if (lead == null || !lead.isObject()) {
            throw new MalformedPayloadException("Meta lead must be a JSON object");
        }
        String id = MetaWebhookParser.idText(lead.get("id"), "lead.id");
        if (id == null) {
            throw new MalformedPayloadException("Meta lead has no \"id\"");
        }
        Instant receivedAt = createdTime(lead.get("created_time"), id);
        List<Answer> answers = answers(lead.get("field_data"), id);

        // First answer per lower-cased key: older leads use FULL_NAME, PHONE, EMAIL and the like.
        Map<String, Answer> byKey = new LinkedHashMap<>();
        for (Answer a : answers) {
            byKey.putIfAbsent(a.canonicalKey(), a);
        }

        Set<String> used = new HashSet<>();
        String email = null;
        for (String key : EMAIL_KEYS) {
            Answer a = byKey.get(key);
            email = a == null ? null : FieldNormalizer.email(a.value());
            if (email != null) {
                used.add(key);
                break;
            }
        }

        String regionHint = byKey.containsKey("country")
                ? FieldNormalizer.regionFromCountry(byKey.get("country").value())
                : null;
        String defaultRegion = ctx == null ? null : ctx.defaultRegion();
        String phone = null;
        for (String key : PHONE_KEYS) {
            Answer a = byKey.get(key);
            phone = a == null ? null : FieldNormalizer.phone(a.value(), regionHint, defaultRegion);
            if (phone != null) {
                used.add(key);
                break;
            }
        }

        String company = null;
        for (String key : COMPANY_KEYS) {
            Answer a = byKey.get(key);
            company = a == null ? null : FieldNormalizer.text(a.value());
            if (company != null) {
                break;
            }
        }

        FieldNormalizer.Names names = FieldNormalizer.names(text(byKey.get("first_name")),
                text(byKey.get("last_name")), text(byKey.get("full_name")));

        Map<String, String> rawFieldData = new LinkedHashMap<>();
        Map<String, String> customFields = new LinkedHashMap<>();
        for (Answer a : answers) {
            String key = a.canonicalKey();
            if (TYPED_KEYS.contains(key) || used.contains(key)) {
                continue;
            }
            // Lead rejects null values, and an unanswered question tells a CRM nothing.
            if (a.value() == null) {
                continue;
            }
            Map<String, String> target = OTHER_STANDARD_KEYS.contains(key) ? rawFieldData : customFields;
            target.merge(a.name(), a.value(), (first, again) -> first + ", " + again);
        }
        disclaimers(lead.get("custom_disclaimer_responses"), customFields);

        boolean test = (email != null && TEST_EMAILS.contains(email))
                || answers.stream().flatMap(a -> a.values().stream())
                        .anyMatch(v -> v.strip().toLowerCase(Locale.ROOT).startsWith(TEST_VALUE_PREFIX));

        Lead normalized = new Lead(ProviderType.META_LEAD_ADS, id, email, names.first(), names.last(), names.full(), phone,
                company, rawFieldData, customFields, receivedAt);
        return new NormalizedLead(
                normalized,
                MetaWebhookParser.idText(lead.get("form_id"), "lead.form_id"),
                MetaWebhookParser.idText(lead.get("ad_id"), "lead.ad_id"),
                MetaWebhookParser.idText(lead.get("campaign_id"), "lead.campaign_id"),
                test);
    }

    /** One field_data item: the key as sent and its non-blank answers. */
    private record Answer(String name, List<String> values) {
        String canonicalKey() {
            return name.trim().toLowerCase(Locale.ROOT);
        }

        /** Multi-select answers joined for a single string; null when nothing was answered. */
        String value() {
            return values.isEmpty() ? null : String.join(", ", values);
        }
    }

    private static String text(Answer a) {
        return a == null ? null : FieldNormalizer.text(a.value());
    }

    private static List<Answer> answers(JsonNode fieldData, String leadId) {
        List<Answer> answers = new ArrayList<>();
        if (fieldData == null || fieldData.isNull()) {
            return answers;
        }
        if (!fieldData.isArray()) {
            throw new MalformedPayloadException("Meta lead " + leadId + ": \"field_data\" must be an array");
        }
        for (JsonNode item : fieldData) {
            JsonNode name = item.get("name");
            if (name == null || !name.isTextual() || name.textValue().isBlank()) {
                continue; // nothing to key it by
            }
            List<String> values = new ArrayList<>();
            JsonNode raw = item.get("values");
            if (raw != null && raw.isArray()) {
                raw.forEach(v -> addValue(values, v));
            } else if (raw != null) {
                addValue(values, raw); // tolerate a bare value where the docs promise an array
            }
            answers.add(new Answer(name.textValue(), values));
        }
        return answers;
    }

    private static void addValue(List<String> values, JsonNode v) {
        if (v.isValueNode() && !v.isNull() && !v.asText().isBlank()) {
            values.add(v.asText());
        }
    }

    /* Each consent checkbox as checkbox_key → is_checked verbatim ("1", "" ...): an unchecked box is information too. */
    private static void disclaimers(JsonNode responses, Map<String, String> customFields) {
        if (responses == null || !responses.isArray()) {
            return;
        }
        for (JsonNode r : responses) {
            JsonNode key = r.get("checkbox_key");
            if (key == null || !key.isTextual() || key.textValue().isBlank()) {
                continue;
            }
            JsonNode checked = r.get("is_checked");
            String value = checked == null || checked.isNull() ? "" : checked.asText();
            customFields.putIfAbsent(key.textValue(), value); // a form answer with the same key wins
        }
    }

    /*
     * Graph's "2025-11-03T14:22:07+0000"; also ISO-8601 with a colon offset or "Z" (exports, other tools), and
     * unix seconds as the webhook uses. receivedAt is part of the contract, so a lead without it is malformed.
     */
    static Instant createdTime(JsonNode node, String leadId) {
        if (node == null || node.isNull()) {
            throw new MalformedPayloadException("Meta lead " + leadId + " has no \"created_time\"");
        }
        if (node.isIntegralNumber()) {
            try {
                return Instant.ofEpochSecond(node.longValue());
            } catch (DateTimeException e) {
                throw new MalformedPayloadException("Meta lead " + leadId + ": bad created_time " + node, e);
            }
        }
        String text = node.asText().trim();
        try {
            return OffsetDateTime.parse(text, GRAPH_TIME).toInstant();
        } catch (DateTimeParseException graphFormat) {
            try {
                return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException isoFormat) {
                throw new MalformedPayloadException(
                        "Meta lead " + leadId + ": created_time \"" + text + "\" is not a timestamp", isoFormat);
            }
        }
    }
}
