package com.leadsync.source.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.connect.Connection;
import com.leadsync.lead.NormalizedLead;
import com.leadsync.lead.ProviderType;
import com.leadsync.source.LeadNotice;
import com.leadsync.source.LeadPage;
import com.leadsync.source.LeadSource;
import com.leadsync.source.MappingContext;
import com.leadsync.source.PageRequest;
import com.leadsync.source.ProviderCallException;
import com.leadsync.source.ProviderLead;
import com.leadsync.source.WebhookRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Meta Lead Ads: page webhooks (ids only), then the Graph API for the lead itself. */
@ApplicationScoped
public class MetaLeadSource implements LeadSource {

    static final String LEAD_FIELDS = "id,created_time,ad_id,ad_name,adset_id,adset_name,campaign_id,campaign_name,"
            + "form_id,field_data,is_organic,platform,custom_disclaimer_responses";

    private final MetaGraphApi graph;
    private final ObjectMapper json;
    private final String appSecret;
    private final String verifyToken;
    private final String version;

    MetaLeadSource(@RestClient MetaGraphApi graph, ObjectMapper json,
            @ConfigProperty(name = "leadsync.meta.app-secret") Optional<String> appSecret,
            @ConfigProperty(name = "leadsync.meta.verify-token") Optional<String> verifyToken,
            @ConfigProperty(name = "leadsync.meta.graph-version") String version) {
        this.graph = graph;
        this.json = json;
        this.appSecret = appSecret.orElse("");
        this.verifyToken = verifyToken.orElse("");
        this.version = version;
    }

    @Override
    public ProviderType type() {
        return ProviderType.META_LEAD_ADS;
    }

    @Override
    public Optional<String> handshake(WebhookRequest request) {
        String token = request.query().get("hub.verify_token");
        String challenge = request.query().get("hub.challenge");
        boolean ok = "subscribe".equals(request.query().get("hub.mode")) && token != null && !verifyToken.isEmpty()
                && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                        verifyToken.getBytes(StandardCharsets.UTF_8))
                && challenge != null;
        return ok ? Optional.of(challenge) : Optional.empty();
    }

    @Override
    public boolean verify(WebhookRequest request) {
        return MetaSignature.verify(request.rawBody(), request.header("X-Hub-Signature-256"), appSecret);
    }

    @Override
    public List<LeadNotice> parse(WebhookRequest request) {
        return MetaWebhookParser.parse(request.rawBody(), json);
    }

    @Override
    public ProviderLead fetch(Connection connection, LeadNotice notice) {
        JsonNode lead = call("fetch lead " + notice.providerLeadId(),
                () -> graph.lead(version, notice.providerLeadId(), LEAD_FIELDS, bearer(connection)));
        return new ProviderLead(notice.providerLeadId(), lead);
    }

    @Override
    public NormalizedLead map(ProviderLead lead, MappingContext context) {
        return MetaLeadMapper.map(lead.payload(), context);
    }

    @Override
    public LeadPage page(Connection connection, PageRequest request) {
        String filtering = request.since() == null ? null
                : "[{\"field\":\"time_created\",\"operator\":\"GREATER_THAN\",\"value\":"
                        + request.since().getEpochSecond() + "}]";
        JsonNode body = call("list leads of form " + request.formId(),
                () -> graph.formLeads(version, request.formId(), LEAD_FIELDS, request.limit(), filtering,
                        request.cursor(), bearer(connection)));
        List<ProviderLead> leads = new ArrayList<>();
        for (JsonNode lead : body.path("data")) {
            leads.add(new ProviderLead(lead.path("id").asText(), lead));
        }
        JsonNode after = body.path("paging").path("cursors").path("after");
        boolean more = body.path("paging").hasNonNull("next") && after.isTextual();
        return new LeadPage(leads, more ? after.asText() : null);
    }

    private static String bearer(Connection connection) {
        return "Bearer " + connection.accessToken();
    }

    private JsonNode call(String what, Supplier<Response> request) {
        return MetaGraphCalls.call(json, what, request);
    }
}
