package com.leadsync.source.tiktok;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadsync.lead.FieldNormalizer;
import com.leadsync.model.Lead;
import com.leadsync.model.NormalizedLead;
import com.leadsync.model.ProviderType;
import com.leadsync.source.MalformedPayloadException;
import com.leadsync.source.MappingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Maps a TikTok lead to the contract's lead (contract.md §1). Two shapes reach it, exactly as the receiver and the
 * lister put them in the notice:
 * <ul>
 * <li>a webhook entry (providers.md §4.2): {@code id}, {@code advertiser_id}, {@code page_id}, {@code ad_id},
 *     {@code campaign_id}, {@code create_time} (unix s) and the answers in {@code changes[]} ({@code field}/{@code value});
 * <li>a row of the lead download (§4.3), as {@code {"source": "csv", "region": "eu", "columns": {header: cell, ...}}}
 *     in file order: the metadata columns ({@code lead id}, {@code created_time} in UTC, {@code ad_id},
 *     {@code form_id}, ...) and one column per question, headed by its label.
 * </ul>
 * TikTok's standard question keys are [U] (§4.4): keys are matched case-insensitively with spaces and hyphens read as
 * underscores, so {@code Phone Number} is {@code phone_number}. The typed fields take email, names, phone and company;
 * the platform's other standard questions go to {@code rawFieldData} and the advertiser's own questions to
 * {@code customFields} (contract §1 over providers.md's table), both keyed by the field or label as sent.
 */
public final class TikTokLeadMapper {

    /** {@code source} of a lead-file row payload. */
    static final String CSV_SOURCE = "csv";

    private static final List<String> FULL_NAME_KEYS = List.of("full_name", "name");
    private static final List<String> PHONE_KEYS = List.of("phone_number", "phone");
    private static final List<String> COMPANY_KEYS = List.of("company_name", "company");
    private static final String EMAIL = "email";
    private static final String FIRST_NAME = "first_name";
    private static final String LAST_NAME = "last_name";
    private static final String COUNTRY = "country";

    /** The platform's questions that are not the advertiser's own ([U]: observed webhook fields and common form keys). */
    private static final Set<String> STANDARD_KEYS = Set.of(
            EMAIL, FIRST_NAME, LAST_NAME, "full_name", "name", "phone_number", "phone", "company_name", "company",
            "gender", "address", "street_address", "city", "state", "province", "country", "zip_code", "postal_code",
            "post_code", "zip", "job_title", "scheduled_time", "date_of_birth", "birthday");

    /** Lead-file columns that describe the lead rather than answer a question. */
    private static final Set<String> FILE_METADATA = Set.of(
            "lead_id", "created_time", "create_time", "ad_id", "ad_name", "adgroup_id", "adgroup_name", "campaign_id",
            "campaign_name", "form_id", "form_name", "page_id", "page_name", "advertiser_id", "advertiser_name",
            "library_id", "lead_source");

    private TikTokLeadMapper() {
    }

    /**
     * @throws MalformedPayloadException when {@code payload} is neither shape, or lacks the lead id or the
     *     submission time
     */
    public static NormalizedLead map(JsonNode payload, MappingContext ctx) {
        Submission s = read(payload);
        return new NormalizedLead(lead(s, ctx), s.formId(), s.adId(), s.campaignId(), false);
    }

    /** What a lead says about itself before mapping: its ids, its time and its answers in order. */
    record Submission(String leadId, Instant createdTime, String formId, String adId, String campaignId,
            List<Answer> answers) {
    }

    /** One answer: the field key or column label as sent, and its value (null when unanswered). */
    record Answer(String name, String value) {
        String key() {
            return canonicalKey(name);
        }
    }

    /** Either shape, read strictly where the contract needs it (lead id, time) and leniently for attribution. */
    static Submission read(JsonNode payload) {
        if (payload == null || !payload.isObject()) {
            throw new MalformedPayloadException("TikTok lead must be a JSON object");
        }
        return CSV_SOURCE.equals(payload.path("source").asText()) ? fileRow(payload) : webhookEntry(payload);
    }

    /** Lower-case, trimmed, inner whitespace and hyphens as one underscore: {@code "Zip code"} → {@code zip_code}. */
    static String canonicalKey(String label) {
        String text = FieldNormalizer.text(label);
        return text == null ? "" : text.toLowerCase(Locale.ROOT).replaceAll("[ \\-]+", "_");
    }

    private static Submission webhookEntry(JsonNode entry) {
        String id = TikTokIds.required(entry.get("id"), "lead.id");
        Instant created = TikTokTimes.unixSeconds(entry.get("create_time"), "lead " + id + " create_time");
        List<Answer> answers = new ArrayList<>();
        JsonNode changes = entry.get("changes");
        if (changes != null && !changes.isNull()) {
            if (!changes.isArray()) {
                throw new MalformedPayloadException("TikTok lead " + id + ": \"changes\" must be an array");
            }
            for (JsonNode change : changes) {
                JsonNode field = change.get("field");
                if (field == null || !field.isTextual() || field.textValue().isBlank()) {
                    continue; // nothing to key it by
                }
                answers.add(new Answer(field.textValue().strip(), value(change.get("value"))));
            }
        }
        return new Submission(id, created, TikTokIds.hint(entry.get("page_id")), TikTokIds.hint(entry.get("ad_id")),
                TikTokIds.hint(entry.get("campaign_id")), answers);
    }

    private static Submission fileRow(JsonNode row) {
        JsonNode columns = row.get("columns");
        if (columns == null || !columns.isObject()) {
            throw new MalformedPayloadException("TikTok lead-file row has no \"columns\" object");
        }
        Map<String, String> metadata = new HashMap<>();
        List<Answer> answers = new ArrayList<>();
        columns.properties().forEach(column -> {
            String key = canonicalKey(column.getKey());
            String cell = column.getValue().isNull() ? null : column.getValue().asText();
            if (FILE_METADATA.contains(key)) {
                metadata.putIfAbsent(key, cell);
            } else if (!key.isEmpty()) {
                answers.add(new Answer(column.getKey().strip(), cell));
            }
        });
        String rawId = metadata.get("lead_id");
        if (rawId == null || rawId.isBlank()) {
            throw new MalformedPayloadException("TikTok lead-file row has no \"lead id\"");
        }
        String id = rawId.trim();
        if (!TikTokIds.isId(id)) {
            throw new MalformedPayloadException("TikTok lead-file row: \"lead id\" is not a TikTok id, got \""
                    + (id.length() > 40 ? id.substring(0, 40) + "…" : id) + "\"");
        }
        String time = metadata.containsKey("created_time") ? metadata.get("created_time") : metadata.get("create_time");
        Instant created = TikTokTimes.fileTime(time, "lead " + id + " created_time");
        return new Submission(id, created, TikTokIds.hint(metadata.get("form_id")),
                TikTokIds.hint(metadata.get("ad_id")), TikTokIds.hint(metadata.get("campaign_id")), answers);
    }

    /** A change's value: text, a number or boolean as written, a list joined; null when unanswered. */
    private static String value(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(item -> {
                if (item.isValueNode() && !item.isNull() && !item.asText().isBlank()) {
                    parts.add(item.asText());
                }
            });
            return parts.isEmpty() ? null : String.join(", ", parts);
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    private static Lead lead(Submission s, MappingContext ctx) {
        List<Answer> answered = s.answers().stream().filter(a -> a.value() != null && !a.value().isBlank()).toList();
        // First answer per key; the others (and any typed answer that does not normalize) stay as standard answers.
        Map<String, Answer> byKey = new LinkedHashMap<>();
        answered.forEach(a -> byKey.putIfAbsent(a.key(), a));
        List<Answer> used = new ArrayList<>();

        String email = typed(byKey, List.of(EMAIL), used, FieldNormalizer::email);
        String regionHint = byKey.containsKey(COUNTRY) ? FieldNormalizer.regionFromCountry(byKey.get(COUNTRY).value())
                : null;
        String defaultRegion = ctx == null ? null : ctx.defaultRegion();
        String phone = typed(byKey, PHONE_KEYS, used, v -> FieldNormalizer.phone(v, regionHint, defaultRegion));
        String company = typed(byKey, COMPANY_KEYS, used, FieldNormalizer::text);
        String fullName = typed(byKey, FULL_NAME_KEYS, used, FieldNormalizer::text);
        String firstName = typed(byKey, List.of(FIRST_NAME), used, FieldNormalizer::text);
        String lastName = typed(byKey, List.of(LAST_NAME), used, FieldNormalizer::text);
        FieldNormalizer.Names names = FieldNormalizer.names(firstName, lastName, fullName);

        Map<String, String> rawFieldData = new LinkedHashMap<>();
        Map<String, String> customFields = new LinkedHashMap<>();
        for (Answer a : answered) {
            if (used.stream().anyMatch(u -> u == a)) {
                continue;
            }
            Map<String, String> target = STANDARD_KEYS.contains(a.key()) ? rawFieldData : customFields;
            target.merge(a.name(), a.value(), (first, again) -> first + ", " + again);
        }
        return new Lead(ProviderType.TIKTOK_ADS, s.leadId(), email, names.first(), names.last(), names.full(), phone, company,
                rawFieldData, customFields, s.createdTime());
    }

    /** The first candidate key whose answer normalizes; that answer is then used up. */
    private static String typed(Map<String, Answer> byKey, List<String> keys, List<Answer> used,
            Function<String, String> normalize) {
        for (String key : keys) {
            Answer a = byKey.get(key);
            String value = a == null ? null : normalize.apply(a.value());
            if (value != null) {
                used.add(a);
                return value;
            }
        }
        return null;
    }
}
