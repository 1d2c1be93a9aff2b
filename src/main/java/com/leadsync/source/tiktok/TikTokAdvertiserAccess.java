package com.leadsync.source.tiktok;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderCallException;
import com.leadsync.model.ProviderType;
import com.leadsync.source.AccessCheck;
import com.leadsync.source.ConnectionVerifier;
import com.leadsync.source.MalformedPayloadException;
import com.leadsync.model.ProviderCallException;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * A TikTok connection names an advertiser; its token must be one TikTok answers that advertiser's info for
 * ({@code GET /v1.3/advertiser/info/?advertiser_ids=["<id>"]}, contract §5). The token checked is the one the caller
 * presents (a new connection, or a PUT's replacement), never a stored one, so this calls TikTok directly rather than
 * through the credentials component. An invalid or revoked token, no permission on the advertiser, or an answer
 * that does not list it is refused; throttling and outages are "unavailable".
 */
@ApplicationScoped
public class TikTokAdvertiserAccess implements ConnectionVerifier {

    private final TikTokApi api;
    private final ObjectMapper json;
    private final long maxAnswer;

    TikTokAdvertiserAccess(@RestClient TikTokApi api, ObjectMapper json,
            @ConfigProperty(name = "leadsync.providers.max-answer-size") MemorySize maxAnswer) {
        this.api = api;
        this.json = json;
        this.maxAnswer = maxAnswer.asLongValue();
    }

    @Override
    public ProviderType type() {
        return ProviderType.TIKTOK_ADS;
    }

    @Override
    public Optional<String> externalIdProblem(String externalId) {
        return TikTokIds.isId(externalId) ? Optional.empty()
                : Optional.of("'externalId' must be a TikTok advertiser id: digits only, at most 32");
    }

    @Override
    public AccessCheck check(Connection connection) {
        String advertiserId = connection.externalId();
        JsonNode data;
        try {
            data = TikTokCalls.call(json, maxAnswer, "advertiser info",
                    () -> api.advertiserInfo(idList(advertiserId), connection.accessToken()));
        } catch (ProviderCallException e) {
            return e.isTransient() ? new AccessCheck.Unavailable(e.getMessage())
                    : new AccessCheck.NotReached(e.getMessage());
        }
        for (JsonNode advertiser : data.path("list")) {
            if (advertiserId.equals(idOf(advertiser))) {
                return new AccessCheck.Reached();
            }
        }
        return new AccessCheck.NotReached("TikTok did not list advertiser " + advertiserId + " for this token");
    }

    private String idList(String advertiserId) {
        try {
            return json.writeValueAsString(List.of(advertiserId));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of one digit string is always JSON", e);
        }
    }

    private static String idOf(JsonNode advertiser) {
        try {
            return TikTokIds.text(advertiser.get("advertiser_id"), "advertiser_id");
        } catch (MalformedPayloadException e) {
            return null;
        }
    }
}
