package com.leadsync.source.linkedin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.crypto.HmacSha256;
import com.leadsync.model.ProviderType;
import com.leadsync.source.ConnectionLookup;
import com.leadsync.source.HandshakeReply;
import com.leadsync.source.WebhookReceipt;
import com.leadsync.source.WebhookReceiver;
import com.leadsync.source.WebhookRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code /webhook/linkedin_ads} (contract §5): LinkedIn's validation GET answered with the HMAC of its
 * challenge, and lead notifications signed with the app's client secret (one secret for the app, so it is
 * checked over the raw bytes before anything is parsed). Notifications carry ids only; the lead is fetched
 * by {@link LinkedInLeadFetcher} off the request path.
 */
@ApplicationScoped
public class LinkedInWebhookReceiver implements WebhookReceiver {

    /** LinkedIn's challenge codes are UUIDs; anything this long is not one, and is not echoed back. */
    private static final int MAX_CHALLENGE = 256;

    private final ObjectMapper json;
    private final String clientSecret;

    LinkedInWebhookReceiver(ObjectMapper json,
            @ConfigProperty(name = "leadsync.linkedin.client-secret") Optional<String> clientSecret) {
        this.json = json;
        this.clientSecret = clientSecret.orElse("");
    }

    @Override
    public ProviderType type() {
        return ProviderType.LINKEDIN_ADS;
    }

    /**
     * {@code GET ?challengeCode=C&applicationId=A} → {@code {"challengeCode": C, "challengeResponse":
     * hex(HMAC-SHA256(client secret, C))}} (providers.md §3.2). Without a secret there is nothing to prove.
     */
    @Override
    public Optional<HandshakeReply> handshake(WebhookRequest request) {
        String challenge = request.query().get("challengeCode");
        if (challenge == null || challenge.isEmpty() || challenge.length() > MAX_CHALLENGE || clientSecret.isBlank()) {
            return Optional.empty();
        }
        String response = HexFormat.of().formatHex(HmacSha256.mac(clientSecret.getBytes(StandardCharsets.UTF_8),
                challenge.getBytes(StandardCharsets.UTF_8)));
        return Optional.of(HandshakeReply.json(json.createObjectNode()
                .put("challengeCode", challenge)
                .put("challengeResponse", response)
                .toString()));
    }

    @Override
    public WebhookReceipt receive(WebhookRequest request, ConnectionLookup connections) {
        if (!LinkedInSignature.verify(request.rawBody(), request.header(LinkedInSignature.HEADER), clientSecret)) {
            return new WebhookReceipt.Unauthenticated("the X-LI-Signature is missing or does not match the body");
        }
        return new WebhookReceipt.Leads(LinkedInWebhookParser.parse(request.rawBody(), json));
    }
}
