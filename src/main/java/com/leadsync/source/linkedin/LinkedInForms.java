package com.leadsync.source.linkedin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.connect.Credentials;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderCallException;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Makes sure a lead carries the form version its answers were given to, so the mapper can read them
 * (providers.md §3.3, §3.7: questions change between versions, and answers name questions by id only).
 * The {@code form:(...)} projection normally brings it; when it did not, the form is fetched from
 * {@code /rest/leadForms/{formId}} and put where the projection would have.
 */
@ApplicationScoped
class LinkedInForms {

    private static final Logger LOG = Logger.getLogger(LinkedInForms.class);

    /** The projection of every lead we read: the documented list projection (providers.md §3.3), form included. */
    static final String LEAD_FIELDS = "ownerInfo,associatedEntityInfo,leadMetadataInfo,owner,leadType,"
            + "versionedLeadGenFormUrn,id,submittedAt,testLead,formResponse,"
            + "form:(hiddenFields,creationLocale,name,id,content)";

    private final LinkedInApi api;
    private final ObjectMapper json;
    private final Credentials credentials;
    private final String version;
    private final long maxAnswer;

    LinkedInForms(@RestClient LinkedInApi api, ObjectMapper json, Credentials credentials,
            @ConfigProperty(name = "leadsync.linkedin.version") String version,
            @ConfigProperty(name = "leadsync.providers.max-answer-size") MemorySize maxAnswer) {
        this.api = api;
        this.json = json;
        this.credentials = credentials;
        this.version = version;
        this.maxAnswer = maxAnswer.asLongValue();
    }

    static boolean hasQuestions(JsonNode lead) {
        return lead.path("form").path("content").path("questions").isArray();
    }

    /**
     * {@code lead} itself when it has its form's questions; otherwise a copy with {@code form} fetched.
     * {@code known} memoizes forms by versioned URN within one page. A form LinkedIn no longer has leaves the
     * lead as it is (its answers are then kept by question id); any other failure is thrown.
     */
    JsonNode complete(Connection connection, JsonNode lead, Map<String, JsonNode> known) {
        if (hasQuestions(lead) || !lead.isObject()) {
            return lead;
        }
        Optional<LinkedInUrns.FormVersion> form = LinkedInUrns.formVersion(lead.get("versionedLeadGenFormUrn"));
        if (form.isEmpty()) {
            LOG.warnf("LinkedIn lead %s names no form version: its answers are kept by question id",
                    lead.path("id").asText());
            return lead;
        }
        JsonNode fetched = known.computeIfAbsent(form.get().urn(), k -> fetch(connection, form.get()));
        if (fetched == null) {
            return lead;
        }
        ObjectNode copy = ((ObjectNode) lead).deepCopy();
        copy.set("form", fetched);
        return copy;
    }

    private JsonNode fetch(Connection connection, LinkedInUrns.FormVersion form) {
        JsonNode answer;
        try {
            answer = credentials.call(connection, token -> LinkedInCalls.call(json, maxAnswer,
                    "lead form " + form.formId(), () -> api.leadForm(form.formId(), "Bearer " + token, version)));
        } catch (ProviderCallException e) {
            if (e.kind() == ProviderCallException.Kind.NOT_FOUND) {
                LOG.warnf("LinkedIn form %s is gone: %s", form.urn(), e.getMessage());
                return null;
            }
            throw e;
        }
        // [U] whether /rest/leadForms/{id} answers the latest version only; say so when it is another one.
        JsonNode versionId = answer.get("versionId");
        if (versionId != null && versionId.isValueNode() && !form.version().equals(versionId.asText())) {
            LOG.warnf("LinkedIn answered version %s of form %s for a lead of version %s: questions are matched by id",
                    versionId.asText(), form.formId(), form.version());
        }
        return answer;
    }
}
