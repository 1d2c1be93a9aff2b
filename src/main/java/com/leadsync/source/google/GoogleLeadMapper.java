package com.leadsync.source.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.leadsync.lead.FieldNormalizer;
import com.leadsync.lead.InstantRange;
import com.leadsync.model.Lead;
import com.leadsync.model.NormalizedLead;
import com.leadsync.model.ProviderType;
import com.leadsync.source.LeadMapper;
import com.leadsync.source.MalformedPayloadException;
import com.leadsync.source.MappingContext;
import com.leadsync.source.ProviderLead;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Maps both shapes of a Google lead to the contract's lead (contract.md §1, providers.md §2.3):
 * <ul>
 * <li>the webhook's {@code WebhookLead} (§2.1): answers in {@code user_column_data[]}, standard questions by
 * {@code column_id} (the field-type enum name), the advertiser's own by {@code column_name};</li>
 * <li>one row of a {@code googleAds:search} over {@code lead_form_submission_data} (§2.2):
 * {@code {"leadFormSubmissionData": {...}}} with {@code leadFormSubmissionFields[].fieldType/fieldValue} and
 * {@code customLeadFormSubmissionFields[].questionText/fieldValue}.</li>
 * </ul>
 * Standard answers that feed no typed field go to {@code rawFieldData} keyed by the enum name as Google names
 * it ({@code POSTAL_CODE}); answers to the advertiser's questions go to {@code customFields} keyed by the
 * question's label.
 */
@ApplicationScoped
public class GoogleLeadMapper implements LeadMapper {

    private static final Logger LOG = Logger.getLogger(GoogleLeadMapper.class);

    /** The API's {@code submission_date_time}: "2019-01-01 12:32:45-08:00" (seconds, a colon offset). */
    private static final DateTimeFormatter API_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral(' ').append(DateTimeFormatter.ISO_LOCAL_TIME)
            .appendOffset("+HH:MM", "Z").toFormatter(Locale.ROOT);

    /** Always mapped to a typed field (or dropped when not usable), never to rawFieldData. */
    private static final Set<String> TYPED = Set.of("EMAIL", "FULL_NAME", "FIRST_NAME", "LAST_NAME", "PHONE_NUMBER",
            "COMPANY_NAME");
    /* Typed-field candidates in order of preference; the WORK_ fallbacks are ordinary answers when not used. */
    private static final List<String> EMAIL_TYPES = List.of("EMAIL", "WORK_EMAIL");
    private static final List<String> PHONE_TYPES = List.of("PHONE_NUMBER", "WORK_PHONE");

    /** What Google's "Send test data" puts in every answer (providers.md §2.1 FAQ). */
    private static final String TEST_VALUE = "dummy_value";
    /** Google's lead ids are ~80 characters; far longer is not a lead id and must not become a table key. */
    private static final int MAX_LEAD_ID = 200;
    private static final Pattern INT64 = Pattern.compile("[0-9]{1,20}");

    @Override
    public ProviderType type() {
        return ProviderType.GOOGLE_ADS;
    }

    @Override
    public NormalizedLead map(ProviderLead lead, MappingContext context) {
        return normalize(lead.payload(), context);
    }

    /**
     * The normalized lead with its form (lead form asset id), ad and campaign ids (null when not said).
     *
     * @throws MalformedPayloadException when {@code lead} is neither shape, or lacks its id or its submission time
     */
    public static NormalizedLead normalize(JsonNode lead, MappingContext ctx) {
        if (lead == null || !lead.isObject()) {
            throw new MalformedPayloadException("Google lead must be a JSON object");
        }
        if (lead.has("leadFormSubmissionData")) {
            return fromSearchRow(lead.get("leadFormSubmissionData"), ctx);
        }
        if (lead.has("lead_id")) {
            return fromWebhook(lead, ctx);
        }
        throw new MalformedPayloadException(
                "Google lead has neither \"lead_id\" (webhook) nor \"leadFormSubmissionData\" (search row)");
    }

    private static NormalizedLead fromWebhook(JsonNode lead, MappingContext ctx) {
        String id = leadId(lead.get("lead_id"), "lead_id");
        List<Answer> standard = new ArrayList<>();
        List<Answer> custom = new ArrayList<>();
        JsonNode columns = array(lead.get("user_column_data"), id, "user_column_data");
        for (JsonNode column : columns) {
            if (!column.isObject()) {
                throw new MalformedPayloadException("Google lead " + id + ": user_column_data items must be objects");
            }
            String value = value(column.get("string_value"));
            if (value == null) {
                continue;
            }
            String columnId = FieldNormalizer.text(value(column.get("column_id")));
            if (GoogleFieldTypes.isStandard(columnId)) {
                standard.add(new Answer(columnId, value));
                continue;
            }
            // The advertiser's own question: its column_id is undocumented (QUESTION_1 in samples), its label is not.
            String label = FieldNormalizer.text(value(column.get("column_name")));
            String key = label != null ? label : columnId;
            if (key != null) {
                custom.add(new Answer(key, value));
            }
        }
        Instant receivedAt = time(lead.get("lead_submit_time"), id, "lead_submit_time");
        boolean flagged = lead.path("is_test").asBoolean(false); // true, or "true" from a lenient sender
        return build(id, standard, custom, receivedAt, idHint(lead.get("form_id"), "form_id"),
                idHint(lead.get("creative_id"), "creative_id"), idHint(lead.get("campaign_id"), "campaign_id"),
                flagged, ctx);
    }

    private static NormalizedLead fromSearchRow(JsonNode data, MappingContext ctx) {
        if (data == null || !data.isObject()) {
            throw new MalformedPayloadException("Google search row: \"leadFormSubmissionData\" must be an object");
        }
        JsonNode idNode = data.get("id");
        if ((idNode == null || idNode.isNull()) && data.path("resourceName").isTextual()) {
            String resource = data.path("resourceName").asText();
            idNode = TextNode.valueOf(resource.substring(resource.lastIndexOf('/') + 1));
        }
        String id = leadId(idNode, "leadFormSubmissionData.id");
        List<Answer> standard = new ArrayList<>();
        for (JsonNode field : array(data.get("leadFormSubmissionFields"), id, "leadFormSubmissionFields")) {
            String type = FieldNormalizer.text(value(field.get("fieldType")));
            String value = value(field.get("fieldValue"));
            if (type != null && value != null) {
                standard.add(new Answer(type, value));
            }
        }
        List<Answer> custom = new ArrayList<>();
        for (JsonNode field : array(data.get("customLeadFormSubmissionFields"), id, "customLeadFormSubmissionFields")) {
            String question = FieldNormalizer.text(value(field.get("questionText")));
            String value = value(field.get("fieldValue"));
            if (question != null && value != null) {
                custom.add(new Answer(question, value));
            }
        }
        Instant receivedAt = time(data.get("submissionDateTime"), id, "submissionDateTime");
        return build(id, standard, custom, receivedAt, resourceId(data.get("asset"), '/'),
                resourceId(data.get("adGroupAd"), '~'), resourceId(data.get("campaign"), '/'), false, ctx);
    }

    private static NormalizedLead build(String id, List<Answer> standard, List<Answer> custom, Instant receivedAt,
            String formId, String adId, String campaignId, boolean flaggedTest, MappingContext ctx) {
        Map<String, String> byType = joined(standard);
        Set<String> used = new HashSet<>();
        String email = first(byType, EMAIL_TYPES, used, FieldNormalizer::email);
        String regionHint = byType.containsKey("COUNTRY") ? FieldNormalizer.regionFromCountry(byType.get("COUNTRY")) : null;
        String defaultRegion = ctx == null ? null : ctx.defaultRegion();
        String phone = first(byType, PHONE_TYPES, used, v -> FieldNormalizer.phone(v, regionHint, defaultRegion));
        String company = FieldNormalizer.text(byType.get("COMPANY_NAME"));

        FieldNormalizer.Names names = FieldNormalizer.names(byType.get("FIRST_NAME"), byType.get("LAST_NAME"),
                byType.get("FULL_NAME"));

        Map<String, String> rawFieldData = new LinkedHashMap<>();
        byType.forEach((type, value) -> {
            if (!TYPED.contains(type) && !used.contains(type)) {
                rawFieldData.put(type, value);
            }
        });
        Map<String, String> customFields = joined(custom);
        boolean test = flaggedTest || standard.stream().anyMatch(Answer::isTestValue)
                || custom.stream().anyMatch(Answer::isTestValue);

        Lead lead = new Lead(ProviderType.GOOGLE_ADS, id, email, names.first(), names.last(), names.full(), phone, company,
                rawFieldData, customFields, receivedAt);
        return new NormalizedLead(lead, formId, adId, campaignId, test);
    }

    /** One answer: the key it is filed under and the value as the lead typed it. */
    private record Answer(String key, String value) {
        boolean isTestValue() {
            return TEST_VALUE.equalsIgnoreCase(value.strip());
        }
    }

    /** Answers by key in form order; a key answered twice (multi-select) keeps both, joined. */
    private static Map<String, String> joined(List<Answer> answers) {
        Map<String, String> out = new LinkedHashMap<>();
        answers.forEach(a -> out.merge(a.key(), a.value(), (first, again) -> first + ", " + again));
        return out;
    }

    private static String first(Map<String, String> byType, List<String> types, Set<String> used,
            Function<String, String> normalize) {
        for (String type : types) {
            String value = byType.containsKey(type) ? normalize.apply(byType.get(type)) : null;
            if (value != null) {
                used.add(type);
                return value;
            }
        }
        return null;
    }

    private static JsonNode array(JsonNode node, String leadId, String field) {
        if (node == null || node.isNull()) {
            return MissingNode.getInstance();
        }
        if (!node.isArray()) {
            throw new MalformedPayloadException("Google lead " + leadId + ": \"" + field + "\" must be an array");
        }
        return node;
    }

    /** A scalar answer as text; null when absent, null or blank. */
    private static String value(JsonNode node) {
        if (node == null || !node.isValueNode() || node.isNull()) {
            return null;
        }
        String text = node.asText();
        return text.isBlank() ? null : text;
    }

    /** Ids are strings, or int64 numbers kept exact (never through a double). */
    private static String leadId(JsonNode node, String field) {
        String id = idText(node, field);
        if (id == null) {
            throw new MalformedPayloadException("Google lead has no \"" + field + "\"");
        }
        if (id.length() > MAX_LEAD_ID) {
            throw new MalformedPayloadException("Google lead \"" + field + "\" is " + id.length()
                    + " characters long: not a lead id");
        }
        return id;
    }

    private static String idText(JsonNode node, String field) {
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
        throw new MalformedPayloadException("Google lead \"" + field + "\" must be a string or an integer, got "
                + node.getNodeType());
    }

    /**
     * Form, ad and campaign ids are attribution: an implausible one is dropped (logged) rather than refusing the
     * lead; 0 is what the webhook sends when there is none (e.g. {@code asset_group_id} outside PMax, test leads).
     */
    private static String idHint(JsonNode node, String field) {
        String id;
        try {
            id = idText(node, field);
        } catch (MalformedPayloadException e) {
            LOG.warnf("Google lead hint dropped: %s", e.getMessage());
            return null;
        }
        if (id == null || !INT64.matcher(id).matches()) {
            if (id != null) {
                LOG.warnf("Google lead hint dropped: \"%s\" is not an int64 id", field);
            }
            return null;
        }
        return id.chars().allMatch(c -> c == '0') ? null : id;
    }

    /** The id at the end of a resource name: {@code customers/1/assets/246813579}, {@code adGroupAds/44~777}. */
    private static String resourceId(JsonNode node, char separator) {
        if (node == null || !node.isTextual()) {
            return null;
        }
        String name = node.textValue();
        String id = name.substring(name.lastIndexOf(separator) + 1);
        return INT64.matcher(id).matches() ? id : null;
    }

    /** The webhook's ISO-8601 {@code lead_submit_time} or the API's "yyyy-MM-dd HH:mm:ss±HH:mm", as UTC. */
    static Instant time(JsonNode node, String leadId, String field) {
        if (node == null || !node.isTextual() || node.textValue().isBlank()) {
            throw new MalformedPayloadException("Google lead " + leadId + " has no \"" + field + "\"");
        }
        Instant t = parseTime(node.textValue().trim());
        if (t == null) {
            throw new MalformedPayloadException("Google lead " + leadId + ": " + field + " \"" + node.textValue()
                    + "\" is not a timestamp with an offset");
        }
        if (!InstantRange.contains(t)) {
            throw new MalformedPayloadException("Google lead " + leadId + ": " + field + " must be "
                    + InstantRange.describe());
        }
        return t;
    }

    /** Null when {@code text} is in neither format (a time without an offset is not an instant). */
    static Instant parseTime(String text) {
        for (DateTimeFormatter format : List.of(API_TIME, DateTimeFormatter.ISO_OFFSET_DATE_TIME)) {
            try {
                return OffsetDateTime.parse(text, format).toInstant();
            } catch (DateTimeParseException notThisOne) {
                // try the other
            }
        }
        return null;
    }
}
