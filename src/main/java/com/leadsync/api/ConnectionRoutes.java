package com.leadsync.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.connect.Connection;
import com.leadsync.lead.ProviderType;
import com.leadsync.source.LeadSources;
import com.leadsync.store.ConditionFailed;
import com.leadsync.store.ConnectionStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Connected ad accounts with manually entered tokens (OAuth comes later). Tokens are write-only. */
@ApplicationScoped
public class ConnectionRoutes implements Routes {

    private final ConnectionStore store;
    private final LeadSources sources;
    private final Clock clock;

    ConnectionRoutes(ConnectionStore store, LeadSources sources, Clock clock) {
        this.store = store;
        this.sources = sources;
        this.clock = clock;
    }

    @Override
    public void register(Router<RouteHandler> router) {
        router.add("GET", "/connections", this::list);
        router.add("POST", "/connections", this::create);
        router.add("DELETE", "/connections/{id}", this::delete);
    }

    HttpApiResponse list(Request req) {
        String account = req.caller().account(req.query("account_id"));
        ObjectNode out = req.json().object();
        ArrayNode items = out.putArray("items");
        store.listByAccount(account).forEach(c -> items.add(view(req, c)));
        return req.json().ok(200, out);
    }

    HttpApiResponse create(Request req) {
        ObjectNode body = req.body();
        String account = req.account(body);
        String typeName = Json.requiredText(body, "providerType");
        ProviderType type = ProviderType.fromWire(typeName)
                .orElseThrow(() -> ApiError.invalid("unknown providerType '" + typeName + "'"));
        if (sources.find(type).isEmpty()) {
            throw ApiError.invalid("providerType '" + typeName + "' is not supported yet");
        }
        String externalId = Json.requiredText(body, "externalId");
        String accessToken = Json.requiredText(body, "accessToken", Json.MAX_TOKEN);
        Instant expiresAt = Json.instant(body, "expiresAt");
        Map<String, String> config = Json.stringMap(body, "config");
        Connection c = new Connection("con_" + UUID.randomUUID().toString().replace("-", ""), account, type,
                externalId, accessToken, Json.text(body, "refreshToken", Json.MAX_TOKEN), expiresAt, config, clock.instant());
        try {
            store.create(c);
        } catch (ConditionFailed e) {
            throw ApiError.conflict(type.wireName() + " account " + externalId + " is already connected");
        }
        return req.json().ok(201, view(req, c));
    }

    HttpApiResponse delete(Request req) {
        String id = req.param("id");
        Connection c = store.findById(id).filter(x -> req.caller().owns(x.accountId()))
                .orElseThrow(() -> ApiError.notFound("connection " + id + " not found"));
        store.delete(c);
        return new HttpApiResponse(204, Map.of(), null, false);
    }

    private static ObjectNode view(Request req, Connection c) {
        ObjectNode out = req.json().object();
        out.put("id", c.connectionId());
        out.put("accountId", c.accountId());
        out.put("providerType", c.providerType().wireName());
        out.put("externalId", c.externalId());
        out.put("hasRefreshToken", c.refreshToken() != null);
        out.put("expiresAt", c.expiresAt() == null ? null : c.expiresAt().toString());
        out.set("config", req.json().mapper().valueToTree(c.config()));
        out.put("createdAt", c.createdAt().toString());
        return out;
    }
}
