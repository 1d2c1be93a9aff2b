package com.leadsync.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.connect.oauth.TokenEndpoint;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * TikTok's advertiser authorization offline (providers.md §4.5), beside {@link LocalTikTokFake}: a consent stand-in
 * ({@code GET /_local/tiktok/portal/auth}: the advertiser "confirms" at once, so it sends the browser straight back
 * to {@code redirect_uri} with a one-use {@code auth_code} and the {@code state}) and the token endpoint
 * ({@code POST /_local/tiktok/v1.3/oauth2/access_token/}, {@code {"app_id","secret","auth_code"}}), whose long-term
 * token is the first of {@code leadsync.local.tiktok-tokens} (so the API fake then answers for it), reaching the
 * advertisers of {@code leadsync.local.tiktok-oauth-advertisers}. Every answer is TikTok's envelope, errors with
 * HTTP 200 and a non-zero code. Only redirect URIs under {@code leadsync.public-url} are sent back to.
 */
@ApplicationScoped
public class LocalTikTokOAuthFake {

    /** TikTok's auth_code is good for an hour, once. */
    static final Duration CODE_LIFETIME = Duration.ofHours(1);

    private final Optional<String> appId;
    private final Optional<String> appSecret;
    private final Optional<String> publicUrl;
    private final List<String> advertisers;
    private final String token;
    private final ObjectMapper json;
    private final IssuedTokens codes;
    private final Set<String> usedCodes = ConcurrentHashMap.newKeySet();

    LocalTikTokOAuthFake(@ConfigProperty(name = "leadsync.tiktok.app-id") Optional<String> appId,
            @ConfigProperty(name = "leadsync.tiktok.app-secret") Optional<String> appSecret,
            @ConfigProperty(name = "leadsync.public-url") Optional<String> publicUrl,
            @ConfigProperty(name = "leadsync.local.tiktok-oauth-advertisers", defaultValue = "7012345678901234567")
            List<String> advertisers,
            @ConfigProperty(name = "leadsync.local.tiktok-tokens", defaultValue = "local-tiktok-token")
            List<String> tokens, Clock clock, ObjectMapper json) {
        this.appId = appId;
        this.appSecret = appSecret;
        this.publicUrl = publicUrl;
        this.advertisers = List.copyOf(advertisers);
        this.token = tokens.get(0);
        this.json = json;
        this.codes = new IssuedTokens("local-tiktok-auth-code-", CODE_LIFETIME, clock);
    }

    void routes(@Observes Router router) {
        router.get("/_local/tiktok/portal/auth").order(-199).blockingHandler(
                FakeReply.handler(ctx -> consent(FakeRequest.of(ctx))), false);
        router.post("/_local/tiktok/v1.3/oauth2/access_token/").order(-199).blockingHandler(
                FakeReply.handler(ctx -> token(FakeRequest.of(ctx))), false);
    }

    FakeReply consent(FakeRequest req) {
        String redirect = req.param("redirect_uri");
        if (appId.isEmpty() || !appId.get().equals(req.param("app_id"))) {
            return page("app_id must be leadsync.tiktok.app-id (local fake).");
        }
        if (redirect == null || publicUrl.isEmpty() || !redirect.startsWith(publicUrl.get() + "/")) {
            return page("redirect_uri must be under leadsync.public-url (local fake).");
        }
        String back = TokenEndpoint.appendQuery(redirect, "auth_code=" + encode(codes.issue())
                + (req.param("state") == null ? "" : "&state=" + encode(req.param("state"))));
        return new FakeReply(302, "text/plain; charset=UTF-8", Map.of("location", back, "cache-control", "no-store"),
                new byte[0]);
    }

    FakeReply token(FakeRequest req) {
        JsonNode body;
        try {
            body = json.readTree(req.bodyText());
        } catch (JsonProcessingException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            return envelope(40002, "The request body must be JSON: {\"app_id\",\"secret\",\"auth_code\"}.", null);
        }
        if (appId.isEmpty() || !appId.get().equals(body.path("app_id").asText())
                || appSecret.isEmpty() || !appSecret.get().equals(body.path("secret").asText())) {
            return envelope(40001, "app_id or secret is incorrect (local fake: leadsync.tiktok.app-id / -secret).",
                    null);
        }
        String code = body.path("auth_code").asText("");
        if (codes.standing(code) != IssuedTokens.Standing.VALID || !usedCodes.add(code)) {
            return envelope(40002, "auth_code is invalid, expired or used already.", null);
        }
        ObjectNode data = json.createObjectNode().put("access_token", token);
        ArrayNode ids = data.putArray("advertiser_ids");
        advertisers.forEach(ids::add);
        data.putArray("scope").add(4).add(10).add(16);
        return envelope(0, "OK", data);
    }

    private FakeReply envelope(int code, String message, ObjectNode data) {
        ObjectNode body = json.createObjectNode().put("code", code).put("message", message)
                .put("request_id", "local-tiktok-oauth");
        body.set("data", data == null ? json.createObjectNode() : data);
        return FakeReply.json(200, body);
    }

    private static FakeReply page(String message) {
        return new FakeReply(400, "text/plain; charset=UTF-8", Map.of(), message.getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
