package com.leadsync.source.linkedin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.connect.Credentials;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderType;
import com.leadsync.source.LeadFetcher;
import com.leadsync.source.LeadNotice;
import com.leadsync.source.ProviderLead;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The lead behind a notification (which carries ids only): {@code GET /rest/leadFormResponses/{id}} with
 * the form projection (providers.md §3.3), and the form version fetched when the projection left it out.
 */
@ApplicationScoped
public class LinkedInLeadFetcher implements LeadFetcher {

    private final LinkedInApi api;
    private final LinkedInForms forms;
    private final Credentials credentials;
    private final ObjectMapper json;
    private final String version;
    private final long maxAnswer;

    LinkedInLeadFetcher(@RestClient LinkedInApi api, LinkedInForms forms, Credentials credentials, ObjectMapper json,
            @ConfigProperty(name = "leadsync.linkedin.version") String version,
            @ConfigProperty(name = "leadsync.providers.max-answer-size") MemorySize maxAnswer) {
        this.api = api;
        this.forms = forms;
        this.credentials = credentials;
        this.json = json;
        this.version = version;
        this.maxAnswer = maxAnswer.asLongValue();
    }

    @Override
    public ProviderType type() {
        return ProviderType.LINKEDIN_ADS;
    }

    @Override
    public ProviderLead fetch(Connection connection, LeadNotice notice) {
        String id = notice.providerLeadId();
        JsonNode lead = credentials.call(connection, token -> LinkedInCalls.call(json, maxAnswer, "fetch lead " + id,
                () -> api.leadFormResponse(LinkedInUrns.encode(id), LinkedInForms.LEAD_FIELDS, "Bearer " + token,
                        version)));
        return new ProviderLead(id, forms.complete(connection, lead, new HashMap<>()));
    }
}
