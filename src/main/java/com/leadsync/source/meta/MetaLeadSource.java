package com.leadsync.source.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.connect.Credentials;
import com.leadsync.model.Connection;
import com.leadsync.model.NormalizedLead;
import com.leadsync.model.ProviderType;
import com.leadsync.source.ConnectionLookup;
import com.leadsync.source.HandshakeReply;
import com.leadsync.source.LeadFetcher;
import com.leadsync.source.LeadMapper;
import com.leadsync.source.LeadNotice;
import com.leadsync.source.MappingContext;
import com.leadsync.model.ProviderCallException.Kind;
import com.leadsync.source.ProviderLead;
import com.leadsync.source.WebhookReceipt;
import com.leadsync.source.WebhookReceiver;
import com.leadsync.source.WebhookRequest;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Meta Lead Ads: page webhooks signed with the app secret carry ids only, so the lead is fetched from the
 * Graph API and then mapped.
 */
@ApplicationScoped
public class MetaLeadSource implements WebhookReceiver, LeadFetcher, LeadMapper {

    static final String LEAD_FIELDS = "id,created_time,ad_id,ad_name,adset_id,adset_name,campaign_id,campaign_name,"
            + "form_id,field_data,is_organic,platform,custom_disclaimer_responses";

    private final MetaGraphApi graph;
    private final ObjectMapper json;
    private final Credentials credentials;
    private final String appSecret;
    private final String verifyToken;
    private final String version;
    private final long maxAnswer;

    MetaLeadSource(@RestClient MetaGraphApi graph, ObjectMapper json, Credentials credentials,
            @ConfigProperty(name = "leadsync.meta.app-secret") Optional<String> appSecret,
            @ConfigProperty(name = "leadsync.meta.verify-token") Optional<String> verifyToken,
            @ConfigProperty(name = "leadsync.meta.graph-version") String version,
            @ConfigProperty(name = "leadsync.providers.max-answer-size") MemorySize maxAnswer) {
        this.graph = graph;
        this.json = json;
        this.credentials = credentials;
        this.appSecret = appSecret.orElse("");
        this.verifyToken = verifyToken.orElse("");
        this.version = version;
        this.maxAnswer = maxAnswer.asLongValue();
    }

    @Override
    public ProviderType type() {
        return ProviderType.META_LEAD_ADS;
    }

    @Override
    public Optional<HandshakeReply> handshake(WebhookRequest request) {
        String token = request.query().get("hub.verify_token");
        String challenge = request.query().get("hub.challenge");
        boolean ok = "subscribe".equals(request.query().get("hub.mode")) && token != null && !verifyToken.isEmpty()
                && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                        verifyToken.getBytes(StandardCharsets.UTF_8))
                && challenge != null;
        return ok ? Optional.of(HandshakeReply.text(challenge)) : Optional.empty();
    }

    /** The app secret signs every call, so it is checked over the raw bytes before anything is parsed. */
    @Override
    public WebhookReceipt receive(WebhookRequest request, ConnectionLookup connections) {
        if (!MetaSignature.verify(request.rawBody(), request.header("X-Hub-Signature-256"), appSecret)) {
            return new WebhookReceipt.Unauthenticated("the request signature is missing or does not match the body");
        }
        return new WebhookReceipt.Leads(MetaWebhookParser.parse(request.rawBody(), json));
    }

    @Override
    public ProviderLead fetch(Connection connection, LeadNotice notice) {
        // 100/33 here is the page token lacking leads access (Leads Access Manager, leads_retrieval; providers.md
        // §1.7): FORBIDDEN, so the lead waits on its connection instead of being retried into the dead-letter queue.
        JsonNode lead = credentials.call(connection, token -> MetaGraphCalls.call(json, maxAnswer,
                "fetch lead " + notice.providerLeadId(), Kind.FORBIDDEN,
                () -> graph.lead(version, notice.providerLeadId(), LEAD_FIELDS, "Bearer " + token)));
        return new ProviderLead(notice.providerLeadId(), lead);
    }

    @Override
    public NormalizedLead map(ProviderLead lead, MappingContext context) {
        return MetaLeadMapper.map(lead.payload(), context);
    }
}
