package com.leadsync.source.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderCallException;
import com.leadsync.model.ProviderType;
import com.leadsync.source.AccessCheck;
import com.leadsync.source.ConnectionVerifier;
import com.leadsync.model.ProviderCallException;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * A Meta connection names a page; its token must be one the Graph API answers that page for
 * ({@code GET /{page-id}?fields=id,name}). An invalid token (code 190), a page the token cannot see
 * (100/33, 803) or an answer for another object is refused; throttling and outages are "unavailable".
 */
@ApplicationScoped
public class MetaPageAccess implements ConnectionVerifier {

    /** Page ids are numeric Graph object ids (15-17 digits today); the bound keeps keys and URLs small. */
    private final MetaGraphApi graph;
    private final ObjectMapper json;
    private final String version;
    private final long maxAnswer;

    MetaPageAccess(@RestClient MetaGraphApi graph, ObjectMapper json,
            @ConfigProperty(name = "leadsync.meta.graph-version") String version,
            @ConfigProperty(name = "leadsync.providers.max-answer-size") MemorySize maxAnswer) {
        this.graph = graph;
        this.json = json;
        this.version = version;
        this.maxAnswer = maxAnswer.asLongValue();
    }

    @Override
    public ProviderType type() {
        return ProviderType.META_LEAD_ADS;
    }

    @Override
    public Optional<String> externalIdProblem(String externalId) {
        return MetaWebhookParser.isMetaId(externalId) ? Optional.empty()
                : Optional.of("'externalId' must be a Meta page id: digits only, at most 32");
    }

    @Override
    public AccessCheck check(Connection connection) {
        String pageId = connection.externalId();
        JsonNode page;
        try {
            page = MetaGraphCalls.call(json, maxAnswer, "page lookup",
                    () -> graph.page(version, pageId, "id,name", "Bearer " + connection.accessToken()));
        } catch (ProviderCallException e) {
            return e.isTransient() ? new AccessCheck.Unavailable(e.getMessage())
                    : new AccessCheck.NotReached(e.getMessage());
        }
        if (!pageId.equals(page.path("id").asText())) {
            return new AccessCheck.NotReached("the Graph API did not answer with page " + pageId);
        }
        return new AccessCheck.Reached();
    }
}
