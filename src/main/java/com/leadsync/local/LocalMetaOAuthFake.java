package com.leadsync.local;

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
 * Facebook Login offline (providers.md §1.4), beside {@link LocalMetaGraphFake}: a consent stand-in
 * ({@code GET /_local/meta/oauth/authorize}: the person "allows" at once, so it sends the browser straight back to
 * {@code redirect_uri} with a one-use {@code code} and the {@code state}), and under {@code /_local/meta-graph} the
 * token endpoint ({@code /{version}/oauth/access_token}: the code for a short-lived user token, that by
 * {@code grant_type=fb_exchange_token} for a long-lived one), {@code /{version}/me/accounts} (the pages of
 * {@code leadsync.local.meta-oauth-pages}, each with the first page token of {@code leadsync.local.graph-page-tokens}
 * so the Graph fake then answers for it) and {@code POST /{version}/{page-id}/subscribed_apps}. Refusals are Graph's
 * error shape. Only redirect URIs under {@code leadsync.public-url} are sent back to.
 */
@ApplicationScoped
public class LocalMetaOAuthFake {

    static final Duration CODE_LIFETIME = Duration.ofMinutes(10);
    static final Duration SHORT_LIVED = Duration.ofHours(2);
    static final Duration LONG_LIVED = Duration.ofDays(60);

    private final Optional<String> appId;
    private final Optional<String> appSecret;
    private final Optional<String> publicUrl;
    private final List<String> pages;
    private final String pageToken;
    private final ObjectMapper json;
    private final IssuedTokens codes;
    private final IssuedTokens shortLived;
    private final IssuedTokens longLived;
    private final Set<String> usedCodes = ConcurrentHashMap.newKeySet();

    LocalMetaOAuthFake(@ConfigProperty(name = "leadsync.meta.app-id") Optional<String> appId,
            @ConfigProperty(name = "leadsync.meta.app-secret") Optional<String> appSecret,
            @ConfigProperty(name = "leadsync.public-url") Optional<String> publicUrl,
            @ConfigProperty(name = "leadsync.local.meta-oauth-pages", defaultValue = "106842931234567")
            List<String> pages,
            @ConfigProperty(name = "leadsync.local.graph-page-tokens", defaultValue = "local-page-token")
            List<String> pageTokens, Clock clock, ObjectMapper json) {
        this.appId = appId;
        this.appSecret = appSecret;
        this.publicUrl = publicUrl;
        this.pages = List.copyOf(pages);
        this.pageToken = pageTokens.get(0);
        this.json = json;
        this.codes = new IssuedTokens("local-meta-code-", CODE_LIFETIME, clock);
        this.shortLived = new IssuedTokens("local-meta-user-", SHORT_LIVED, clock);
        this.longLived = new IssuedTokens("local-meta-long-user-", LONG_LIVED, clock);
    }

    void routes(@Observes Router router) {
        router.get("/_local/meta/oauth/authorize").order(-199).blockingHandler(
                FakeReply.handler(ctx -> consent(FakeRequest.of(ctx))), false);
        router.get("/_local/meta-graph/:version/oauth/access_token").order(-199).blockingHandler(
                FakeReply.handler(ctx -> token(FakeRequest.of(ctx))), false);
        router.get("/_local/meta-graph/:version/me/accounts").order(-199).blockingHandler(
                FakeReply.handler(ctx -> accounts(FakeRequest.of(ctx))), false);
        router.post("/_local/meta-graph/:version/:id/subscribed_apps").order(-199).blockingHandler(
                FakeReply.handler(ctx -> subscribe(ctx.pathParam("id"), FakeRequest.of(ctx))), false);
    }

    FakeReply consent(FakeRequest req) {
        String redirect = req.param("redirect_uri");
        if (appId.isEmpty() || !appId.get().equals(req.param("client_id"))) {
            return page(400, "Invalid App ID: client_id must be leadsync.meta.app-id.");
        }
        if (redirect == null || publicUrl.isEmpty() || !redirect.startsWith(publicUrl.get() + "/")) {
            return page(400, "URL blocked: redirect_uri must be under leadsync.public-url (local fake).");
        }
        String back = TokenEndpoint.appendQuery(redirect, "code=" + encode(codes.issue())
                + (req.param("state") == null ? "" : "&state=" + encode(req.param("state"))));
        return new FakeReply(302, "text/plain; charset=UTF-8", Map.of("location", back, "cache-control", "no-store"),
                new byte[0]);
    }

    /** {@code GET /oauth/access_token}: a code (once) for a short-lived user token, or that for a long-lived one. */
    FakeReply token(FakeRequest req) {
        if (appId.isEmpty() || !appId.get().equals(req.param("client_id"))) {
            return error(101, "Error validating application. Invalid application ID.");
        }
        if (appSecret.isEmpty() || !appSecret.get().equals(req.param("client_secret"))) {
            return error(1, "Error validating client secret.");
        }
        if ("fb_exchange_token".equals(req.param("grant_type"))) {
            if (shortLived.standing(req.param("fb_exchange_token")) != IssuedTokens.Standing.VALID) {
                return error(190, "Invalid OAuth access token - Cannot parse access token");
            }
            return tokenReply(longLived);
        }
        String code = req.param("code");
        if (code == null || codes.standing(code) != IssuedTokens.Standing.VALID || !usedCodes.add(code)) {
            return error(100, "This authorization code has been used or has expired.");
        }
        if (req.param("redirect_uri") == null) {
            return error(100, "Missing redirect_uri parameter.");
        }
        return tokenReply(shortLived);
    }

    /** {@code GET /me/accounts} with a long-lived user token: every local page, in one listing page. */
    FakeReply accounts(FakeRequest req) {
        if (longLived.standing(req.bearerToken()) != IssuedTokens.Standing.VALID) {
            return error(190, "Invalid OAuth access token - Cannot parse access token");
        }
        ObjectNode body = json.createObjectNode();
        ArrayNode data = body.putArray("data");
        for (String id : pages) {
            ObjectNode page = data.addObject().put("access_token", pageToken).put("category", "Software")
                    .put("name", "Local page " + id).put("id", id);
            page.putArray("tasks").add("ANALYZE").add("ADVERTISE").add("MODERATE").add("CREATE_CONTENT").add("MANAGE");
        }
        if (!pages.isEmpty()) {
            body.putObject("paging").putObject("cursors").put("before", "QVFIUmxvY2FsYmVmb3Jl")
                    .put("after", "QVFIUmxvY2FsYWZ0ZXI");
        }
        return FakeReply.json(200, body);
    }

    /** {@code POST /{page-id}/subscribed_apps?subscribed_fields=leadgen} with that page's token. */
    FakeReply subscribe(String pageId, FakeRequest req) {
        if (!pageToken.equals(req.bearerToken()) || !pages.contains(pageId)) {
            return error(190, "Invalid OAuth access token - Cannot parse access token");
        }
        if (req.param("subscribed_fields") == null) {
            return error(100, "(#100) The parameter subscribed_fields is required");
        }
        return FakeReply.json(200, json.createObjectNode().put("success", true));
    }

    private FakeReply tokenReply(IssuedTokens kind) {
        return FakeReply.json(200, json.createObjectNode().put("access_token", kind.issue())
                .put("token_type", "bearer").put("expires_in", kind.lifetime().toSeconds()));
    }

    private FakeReply error(int code, String message) {
        ObjectNode body = json.createObjectNode();
        body.putObject("error").put("message", message).put("type", "OAuthException").put("code", code)
                .put("fbtrace_id", "AlocalMetaOAuth");
        return FakeReply.json(400, body);
    }

    private static FakeReply page(int status, String message) {
        return new FakeReply(status, "text/plain; charset=UTF-8", Map.of(), message.getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
