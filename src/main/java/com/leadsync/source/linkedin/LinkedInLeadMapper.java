package com.leadsync.source.linkedin;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Maps a {@code leadFormResponses} element with its form version ({@code form}: what the
 * {@code form:(...)} projection returns, or what the fetcher put there from {@code /rest/leadForms},
 * providers.md §3.3) to the contract's lead (contract §1). Answers are read through the form's questions:
 * a standard question by its {@code predefinedField} (§3.4; never by its label, which varies by locale),
 * the advertiser's own questions by their {@code name}. Contract §1 wins over §3.4's "customFields" for the
 * other standard questions: those go to {@code rawFieldData}, keyed by the predefined field's name.
 */
@ApplicationScoped
public class LinkedInLeadMapper implements LeadMapper {

    private static final Logger LOG = Logger.getLogger(LinkedInLeadMapper.class);

    /* Typed fields, by predefinedField: the first is the one to use, the second its fallback. */
    private static final String EMAIL = "EMAIL";
    private static final String WORK_EMAIL = "WORK_EMAIL";
    private static final String FIRST_NAME = "FIRST_NAME";
    private static final String LAST_NAME = "LAST_NAME";
    private static final String PHONE = "PHONE_NUMBER"; // [U] spelling, as its fallback's
    private static final String WORK_PHONE = "WORK_PHONE_NUMBER";
    private static final String COMPANY = "COMPANY_NAME"; // [U]
    private static final String COUNTRY = "COUNTRY"; // [U]; only read as the phone's region hint

    /* Never in rawFieldData, even when unusable: they are the typed fields. The fallbacks are, when unused. */
    private static final Set<String> TYPED = Set.of(EMAIL, FIRST_NAME, LAST_NAME, PHONE, COMPANY);

    /** The key of an answer whose question the form does not describe: nothing better is known. */
    private static final String UNKNOWN_QUESTION = "question_";
    private static final String UNKNOWN_CONSENT = "consent_";

    @Override
    public ProviderType type() {
        return ProviderType.LINKEDIN_ADS;
    }

    @Override
    public NormalizedLead map(ProviderLead lead, MappingContext context) {
        return map(lead.payload(), context);
    }

    /**
     * @throws MalformedPayloadException when {@code response} is not an object, or its {@code id} or
     *     {@code submittedAt} is missing or unreadable
     */
    static NormalizedLead map(JsonNode response, MappingContext context) {
        if (response == null || !response.isObject()) {
            throw new MalformedPayloadException("LinkedIn lead must be a JSON object");
        }
        String id = idText(response.get("id"), "lead.id");
        if (id == null) {
            throw new MalformedPayloadException("LinkedIn lead has no \"id\"");
        }
        id = LinkedInUrns.idOf(id, LinkedInUrns.LEAD_RESPONSE).orElse(id); // tolerate the URN form
        Instant receivedAt = submittedAt(response.get("submittedAt"), id);

        JsonNode form = response.path("form");
        String locale = locale(form.get("creationLocale"));
        Map<String, Question> questions = questions(form.path("content").path("questions"), locale);
        if (questions.isEmpty()) {
            LOG.warnf("LinkedIn lead %s came without its form's questions: answers kept by question id", id);
        }

        // First answer per predefined field; the advertiser's questions in answer order.
        Map<String, String> standard = new LinkedHashMap<>();
        Map<String, String> customFields = new LinkedHashMap<>();
        for (JsonNode answer : array(response.path("formResponse").get("answers"), "formResponse.answers", id)) {
            String questionId = refId(answer.get("questionId"));
            if (questionId == null) {
                continue; // nothing to tie it to
            }
            Question q = questions.get(questionId);
            String value = value(answer.path("answerDetails"), q);
            if (value == null) {
                continue;
            }
            if (q != null && q.predefinedField() != null) {
                standard.putIfAbsent(q.predefinedField(), value);
            } else {
                String key = q == null ? UNKNOWN_QUESTION + questionId : q.key();
                customFields.merge(key, value, (first, again) -> first + ", " + again);
            }
        }

        String email = FieldNormalizer.email(standard.get(EMAIL));
        boolean usedWorkEmail = false;
        if (email == null) {
            email = FieldNormalizer.email(standard.get(WORK_EMAIL));
            usedWorkEmail = email != null;
        }
        String regionHint = FieldNormalizer.regionFromCountry(standard.get(COUNTRY));
        String defaultRegion = context == null ? null : context.defaultRegion();
        String phone = FieldNormalizer.phone(standard.get(PHONE), regionHint, defaultRegion);
        boolean usedWorkPhone = false;
        if (phone == null) {
            phone = FieldNormalizer.phone(standard.get(WORK_PHONE), regionHint, defaultRegion);
            usedWorkPhone = phone != null;
        }
        // LinkedIn has no full-name field (providers.md §3.4): it is joined from the first and last name.
        FieldNormalizer.Names names = FieldNormalizer.names(standard.get(FIRST_NAME), standard.get(LAST_NAME), null);

        Map<String, String> rawFieldData = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : standard.entrySet()) {
            String field = e.getKey();
            if (TYPED.contains(field) || (usedWorkEmail && field.equals(WORK_EMAIL))
                    || (usedWorkPhone && field.equals(WORK_PHONE))) {
                continue;
            }
            rawFieldData.put(field, e.getValue());
        }
        hiddenFields(form.get("hiddenFields"), customFields);
        consents(response.path("formResponse").get("consentResponses"), consentTexts(form, locale), customFields);

        Lead normalized = new Lead(ProviderType.LINKEDIN_ADS, id, email, names.first(), names.last(), names.full(), phone,
                FieldNormalizer.text(standard.get(COMPANY)), rawFieldData, customFields, receivedAt);
        return new NormalizedLead(normalized, formId(response, form), creativeId(response), campaignId(response),
                test(response.get("testLead")));
    }

    /** One form question: how its answers are keyed and what its multiple-choice option ids say. */
    private record Question(String predefinedField, String key, Map<String, String> options) {
    }

    private static Map<String, Question> questions(JsonNode list, String locale) {
        Map<String, Question> byId = new HashMap<>();
        if (!list.isArray()) {
            return byId;
        }
        for (JsonNode q : list) {
            String questionId = refId(q.get("questionId"));
            if (questionId == null) {
                continue;
            }
            String predefined = FieldNormalizer.text(q.path("predefinedField").asText(null));
            String name = FieldNormalizer.text(q.path("name").asText(null));
            String key = name != null ? name : localized(q.path("question"), locale);
            Map<String, String> options = new HashMap<>();
            for (JsonNode o : q.path("questionDetails").path("multipleChoiceQuestionDetails").path("options")) {
                String optionId = refId(o.get("id"));
                String text = localized(o.path("text"), locale);
                if (optionId != null && text != null) {
                    options.put(optionId, text);
                }
            }
            byId.putIfAbsent(questionId, new Question(predefined, key == null ? UNKNOWN_QUESTION + questionId : key,
                    options));
        }
        return byId;
    }

    /** A text answer, or the chosen options' texts (ids the form does not list stay as ids); null when empty. */
    private static String value(JsonNode details, Question q) {
        JsonNode text = details.path("textQuestionAnswer").get("answer");
        if (text != null && text.isValueNode() && !text.isNull()) {
            return FieldNormalizer.text(text.asText());
        }
        List<String> chosen = new ArrayList<>();
        for (JsonNode option : details.path("multipleChoiceAnswer").path("options")) {
            String optionId = refId(option);
            if (optionId != null) {
                chosen.add(q == null ? optionId : q.options().getOrDefault(optionId, optionId));
            }
        }
        return chosen.isEmpty() ? null : String.join(", ", chosen);
    }

    /* The form's hidden fields (UTMs and the like): set by the advertiser, so customFields; an answer wins. */
    private static void hiddenFields(JsonNode fields, Map<String, String> customFields) {
        if (fields == null || !fields.isArray()) {
            return;
        }
        for (JsonNode f : fields) {
            String name = FieldNormalizer.text(f.path("name").asText(null));
            String value = f.path("value").isValueNode() ? FieldNormalizer.text(f.path("value").asText(null)) : null;
            if (name != null && value != null) {
                customFields.putIfAbsent(name, value);
            }
        }
    }

    /* consentId → the consent's text in the form's locale, from legalInfo.consents (its place in content is [U]). */
    private static Map<String, String> consentTexts(JsonNode form, String locale) {
        Map<String, String> texts = new HashMap<>();
        JsonNode consents = form.path("content").path("legalInfo").path("consents");
        if (!consents.isArray()) {
            consents = form.path("legalInfo").path("consents");
        }
        for (JsonNode c : consents) {
            String consentId = refId(c.has("consentId") ? c.get("consentId") : c.get("id"));
            String text = localized(c.has("consent") ? c.get("consent") : c.path("text"), locale);
            if (consentId != null && text != null) {
                texts.put(consentId, text);
            }
        }
        return texts;
    }

    /* Each consent checkbox as its text (or consent_<id>) → "true"/"false": an unchecked box is information too. */
    private static void consents(JsonNode responses, Map<String, String> texts, Map<String, String> customFields) {
        if (responses == null || !responses.isArray()) {
            return;
        }
        for (JsonNode r : responses) {
            String consentId = refId(r.get("consentId"));
            JsonNode accepted = r.get("accepted");
            if (consentId == null || accepted == null || accepted.isNull()) {
                continue;
            }
            customFields.putIfAbsent(texts.getOrDefault(consentId, UNKNOWN_CONSENT + consentId),
                    Boolean.toString(accepted.asBoolean()));
        }
    }

    /**
     * The text of a {@code {"localized": {"en_US": ...}}} value in {@code locale}, else its first text; null
     * when there is none.
     */
    private static String localized(JsonNode value, String locale) {
        JsonNode localized = value == null ? null : value.get("localized");
        if (localized == null || !localized.isObject() || localized.isEmpty()) {
            return null;
        }
        if (locale != null && localized.path(locale).isTextual()) {
            return FieldNormalizer.text(localized.get(locale).textValue());
        }
        for (Iterator<JsonNode> it = localized.elements(); it.hasNext(); ) {
            JsonNode text = it.next();
            if (text.isTextual() && FieldNormalizer.text(text.textValue()) != null) {
                return FieldNormalizer.text(text.textValue());
            }
        }
        return null;
    }

    /** {@code creationLocale} as a {@code localized} key: {@code "en_US"} as is, {@code {language, country}} joined. */
    private static String locale(JsonNode creationLocale) {
        if (creationLocale == null) {
            return null;
        }
        if (creationLocale.isTextual()) {
            return creationLocale.textValue().replace('-', '_');
        }
        String language = creationLocale.path("language").asText("");
        String country = creationLocale.path("country").asText("");
        return language.isEmpty() ? null : country.isEmpty() ? language : language + "_" + country;
    }

    private static String formId(JsonNode response, JsonNode form) {
        return LinkedInUrns.formVersion(response.get("versionedLeadGenFormUrn"))
                .map(LinkedInUrns.FormVersion::formId)
                .orElseGet(() -> refId(form.get("id")));
    }

    /* The documented projection names the *Info fields while the documented element shows the plain ones: read both. */
    private static String creativeId(JsonNode response) {
        String id = LinkedInUrns.numericId(response.path("associatedEntity").get("associatedCreative"),
                LinkedInUrns.CREATIVE);
        return id != null ? id : LinkedInUrns.numericId(response.path("associatedEntityInfo").get("associatedCreative"),
                LinkedInUrns.CREATIVE);
    }

    private static String campaignId(JsonNode response) {
        String id = LinkedInUrns.numericId(response.path("leadMetadata").path("sponsoredLeadMetadata").get("campaign"),
                LinkedInUrns.CAMPAIGN);
        return id != null ? id : LinkedInUrns.numericId(
                response.path("leadMetadataInfo").path("sponsoredLeadMetadata").get("campaign"), LinkedInUrns.CAMPAIGN);
    }

    private static boolean test(JsonNode testLead) {
        return testLead != null && testLead.asBoolean(false); // true or "true"
    }

    private static Instant submittedAt(JsonNode node, String leadId) {
        String text = idText(node, "lead.submittedAt"); // epoch ms: an integer, tolerated as a digit string
        if (text == null) {
            throw new MalformedPayloadException("LinkedIn lead " + leadId + " has no \"submittedAt\"");
        }
        Instant t;
        try {
            t = Instant.ofEpochMilli(Long.parseLong(text));
        } catch (NumberFormatException | DateTimeException e) {
            throw new MalformedPayloadException("LinkedIn lead " + leadId + ": \"submittedAt\" must be epoch"
                    + " milliseconds, got \"" + text + "\"", e);
        }
        if (!InstantRange.contains(t)) {
            throw new MalformedPayloadException("LinkedIn lead " + leadId + ": \"submittedAt\" must be "
                    + InstantRange.describe());
        }
        return t;
    }

    private static Iterable<JsonNode> array(JsonNode node, String field, String leadId) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new MalformedPayloadException("LinkedIn lead " + leadId + ": \"" + field + "\" must be an array");
        }
        return node;
    }

    /**
     * An id that only ties one part of the lead to another (question, option, consent, form): as
     * {@link #idText}, but an odd one is ignored rather than failing the whole lead.
     */
    private static String refId(JsonNode node) {
        return node != null && (node.isTextual() || node.isIntegralNumber()) ? idText(node, "id") : null;
    }

    /**
     * An id as its exact decimal or verbatim text: integral numbers through their BigInteger (never a double:
     * form ids exceed 2^53), strings trimmed. Absent, null or blank → null.
     */
    private static String idText(JsonNode node, String where) {
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
}
