package com.leadsync.source.tiktok;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.model.NormalizedLead;
import com.leadsync.model.ProviderType;
import com.leadsync.source.ConnectionLookup;
import com.leadsync.source.HandshakeReply;
import com.leadsync.source.LeadMapper;
import com.leadsync.source.MappingContext;
import com.leadsync.source.ProviderLead;
import com.leadsync.source.WebhookReceipt;
import com.leadsync.source.WebhookReceiver;
import com.leadsync.source.WebhookRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * TikTok Lead Generation: webhooks signed with the app secret carry the whole lead (no fetch), and the lead
 * download's rows ({@link TikTokLeadLister}) are whole leads too; both are mapped by {@link TikTokLeadMapper}.
 * TikTok has no subscription handshake: a GET is refused (403).
 */
@ApplicationScoped
public class TikTokLeadSource implements WebhookReceiver, LeadMapper {

    private final ObjectMapper json;
    private final String appSecret;

    TikTokLeadSource(ObjectMapper json, @ConfigProperty(name = "leadsync.tiktok.app-secret") Optional<String> appSecret) {
        this.json = json;
        this.appSecret = appSecret.orElse("");
    }

    @Override
    public ProviderType type() {
        return ProviderType.TIKTOK_ADS;
    }

    @Override
    public Optional<HandshakeReply> handshake(WebhookRequest request) {
        return Optional.empty();
    }

    /** The app secret signs every call, so it is checked over the raw bytes before anything is parsed. */
    @Override
    public WebhookReceipt receive(WebhookRequest request, ConnectionLookup connections) {
        if (!TikTokSignature.verify(request.rawBody(), request.header(TikTokSignature.HEADER), appSecret)) {
            return new WebhookReceipt.Unauthenticated("the request signature is missing or does not match the body");
        }
        return new WebhookReceipt.Leads(TikTokWebhookParser.parse(request.rawBody(), json));
    }

    @Override
    public NormalizedLead map(ProviderLead lead, MappingContext context) {
        return TikTokLeadMapper.map(lead.payload(), context);
    }
}
