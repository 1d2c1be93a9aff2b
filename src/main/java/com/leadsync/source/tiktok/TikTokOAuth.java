package com.leadsync.source.tiktok;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.connect.oauth.AuthorizeRequest;
import com.leadsync.connect.oauth.CallbackRequest;
import com.leadsync.connect.oauth.Granted;
import com.leadsync.connect.oauth.GrantedConnection;
import com.leadsync.connect.oauth.OAuthException;
import com.leadsync.connect.oauth.OAuthPlatform;
import com.leadsync.connect.oauth.TokenEndpoint;
import com.leadsync.model.ProviderType;
import com.leadsync.source.MalformedPayloadException;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Connecting TikTok advertisers by TikTok's advertiser authorization (providers.md §4.5): the portal page (scopes are
 * the app's, chosen in its developer settings, not in the URL) sends back an {@code auth_code}, exchanged for one
 * long-term access token (no refresh token, no expiry) that reaches every advertiser in {@code advertiser_ids}: one
 * connection each, all with that token. TikTok answers its errors with HTTP 200 and a non-zero {@code code}, read as
 * every other TikTok call is ({@link TikTokCalls}, {@link TikTokErrors}): a rate limit or a system error is
 * "unavailable", anything else (an expired, used or unknown auth_code, a wrong app) "refused".
 */
@ApplicationScoped
public class TikTokOAuth implements OAuthPlatform {

    private static final String PLATFORM = "TikTok";

    private final TokenEndpoint tokens;
    private final ObjectMapper json;
    private final String authorizeUrl;
    private final String tokenUrl;
    private final Optional<String> appId;
    private final Optional<String> appSecret;

    TikTokOAuth(TokenEndpoint tokens, ObjectMapper json,
            @ConfigProperty(name = "leadsync.oauth.tiktok.authorize-url") String authorizeUrl,
            @ConfigProperty(name = "leadsync.oauth.tiktok.token-url") String tokenUrl,
            @ConfigProperty(name = "leadsync.tiktok.app-id") Optional<String> appId,
            @ConfigProperty(name = "leadsync.tiktok.app-secret") Optional<String> appSecret) {
        this.tokens = tokens;
        this.json = json;
        this.authorizeUrl = authorizeUrl;
        this.tokenUrl = tokenUrl;
        this.appId = appId.map(String::trim).filter(s -> !s.isEmpty());
        this.appSecret = appSecret.map(String::trim).filter(s -> !s.isEmpty());
    }

    @Override
    public String type() {
        return ProviderType.TIKTOK_ADS.wireName();
    }

    @Override
    public URI authorizeUrl(AuthorizeRequest request) {
        String id = appId();
        appSecret(); // checked before the person is sent away: the exchange would fail without it
        Map<String, String> query = new LinkedHashMap<>();
        query.put("app_id", id);
        query.put("state", request.state());
        query.put("redirect_uri", request.redirectUri());
        return URI.create(TokenEndpoint.appendQuery(authorizeUrl, TokenEndpoint.encode(query)));
    }

    @Override
    public Granted complete(CallbackRequest callback) {
        JsonNode body = json.createObjectNode().put("app_id", appId()).put("secret", appSecret())
                .put("auth_code", callback.code());
        JsonNode answer = tokens.postJson(PLATFORM, tokenUrl, body, Map.of());
        JsonNode data;
        try {
            data = TikTokCalls.data(json, "the auth_code exchange", 200, answer.toString());
        } catch (TikTokCallException e) {
            if (e.isTransient()) {
                throw OAuthException.unavailable(e.getMessage() + ". Nothing was stored; try again in a moment.", e);
            }
            throw OAuthException.refused(e.getMessage() + ". Nothing was stored; start the connection again (an"
                    + " auth_code is good for one use within an hour).");
        }
        String token = data.path("access_token").asText("");
        if (token.isBlank()) {
            throw OAuthException.unavailable("TikTok answered the auth_code exchange without an access token; try"
                    + " again in a moment.", null);
        }
        List<GrantedConnection> advertisers = new ArrayList<>();
        for (String id : advertiserIds(data.path("advertiser_ids"))) {
            advertisers.add(new GrantedConnection(id, null, token, null, null, Map.of()));
        }
        return new Granted.Connections(ProviderType.TIKTOK_ADS, advertisers);
    }

    /** The exact digit strings of {@code advertiser_ids} (19-digit ids: never through a double), each once. */
    private static Set<String> advertiserIds(JsonNode ids) {
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode node : ids) {
            String id;
            try {
                id = TikTokIds.text(node, "advertiser_ids entry");
            } catch (MalformedPayloadException e) {
                id = null;
            }
            if (!TikTokIds.isId(id)) {
                throw OAuthException.unavailable("TikTok answered an advertiser id that is not one (digits only);"
                        + " nothing was stored.", null);
            }
            out.add(id);
        }
        return out;
    }

    private String appId() {
        return appId.orElseThrow(() -> OAuthException.notConfigured("leadsync.tiktok.app-id is not set"));
    }

    private String appSecret() {
        return appSecret.orElseThrow(() -> OAuthException.notConfigured("leadsync.tiktok.app-secret is not set"));
    }
}
