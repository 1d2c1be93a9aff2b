package com.leadsync.source.google;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.model.Connection;
import com.leadsync.model.NormalizedLead;
import com.leadsync.model.ProviderType;
import com.leadsync.source.ConnectionLookup;
import com.leadsync.source.HandshakeReply;
import com.leadsync.source.LeadNotice;
import com.leadsync.source.MalformedPayloadException;
import com.leadsync.source.WebhookReceipt;
import com.leadsync.source.WebhookReceiver;
import com.leadsync.source.WebhookRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Google's lead form webhook (providers.md §2.1): one {@code WebhookLead} per POST, no signature. The body's
 * {@code google_key} is the connection's {@code webhookKey}: it routes the lead and authenticates it in one
 * constant-time lookup. The body is the whole lead, so it is the notice's payload (no fetch), without the
 * key: a secret never travels on through the queues.
 */
@ApplicationScoped
public class GoogleWebhookReceiver implements WebhookReceiver {

    static final String GOOGLE_KEY = "google_key";

    private final ObjectMapper json;

    GoogleWebhookReceiver(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public ProviderType type() {
        return ProviderType.GOOGLE_ADS;
    }

    /** Google has no subscription handshake: a GET is refused. */
    @Override
    public Optional<HandshakeReply> handshake(WebhookRequest request) {
        return Optional.empty();
    }

    /**
     * The key decides before the lead is read: a body without a known key is 401 whatever else it holds. A
     * body that is not a JSON object cannot carry a key and is malformed (400).
     */
    @Override
    public WebhookReceipt receive(WebhookRequest request, ConnectionLookup connections) {
        ObjectNode lead = readObject(request.rawBody());
        JsonNode key = lead.get(GOOGLE_KEY);
        if (key == null || !key.isTextual() || key.textValue().isEmpty()) {
            return new WebhookReceipt.Unauthenticated("google_key is missing");
        }
        Optional<Connection> connection = connections.byWebhookKey(key.textValue());
        if (connection.isEmpty()) {
            return new WebhookReceipt.Unauthenticated("google_key does not match the webhookKey of any google_ads"
                    + " connection");
        }
        lead.remove(GOOGLE_KEY);
        // Mapped now to refuse (400) a lead that normalize could never map; the notice's ids come from it too.
        NormalizedLead mapped = GoogleLeadMapper.normalize(lead, null);
        return new WebhookReceipt.Leads(List.of(new LeadNotice(ProviderType.GOOGLE_ADS, connection.get().externalId(),
                mapped.lead().providerLeadId(), mapped.formId(), mapped.adId(), mapped.lead().receivedAt(), lead)));
    }

    private ObjectNode readObject(byte[] body) {
        if (body.length == 0) {
            throw new MalformedPayloadException("Google webhook body is empty");
        }
        JsonNode root;
        try {
            root = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
        } catch (JacksonException e) {
            throw new MalformedPayloadException("Google webhook body is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MalformedPayloadException("Google webhook body could not be read", e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedPayloadException("Google webhook body must be a JSON object (a WebhookLead)");
        }
        return (ObjectNode) root;
    }
}
