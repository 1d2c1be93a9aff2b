package com.leadsync.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.delivery.Destinations;
import com.leadsync.delivery.Subscription;
import com.leadsync.delivery.SubscriptionRepository;
import com.leadsync.event.EventTypes;
import com.leadsync.model.ProviderType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Webhook subscriptions: leads forwarded to a caller's URL, Standard Webhooks-signed. The contract's routes over
 * destinations of type {@code webhook}, kept in a store of their own.
 */
@ApplicationScoped
public class SubscriptionRoutes implements Routes {

    private final SubscriptionRepository store;
    private final Destinations registry;
    private final AccountLimits limits;
    private final Clock clock;

    SubscriptionRoutes(SubscriptionRepository store, Destinations registry, AccountLimits limits, Clock clock) {
        this.store = store;
        this.registry = registry;
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    public void register(Router<RouteHandler> router) {
        router.add("POST", "/webhooks/{providerType}/subscribe", this::subscribe);
        router.add("GET", "/webhooks/subscriptions", this::list);
        router.add("DELETE", "/webhooks/subscriptions/{id}", this::delete);
    }

    HttpApiResponse subscribe(Request req) {
        String typeName = req.param("providerType");
        ProviderType type = ProviderType.fromWire(typeName)
                .orElseThrow(() -> ApiError.notFound("unknown providerType '" + typeName + "'"));
        ObjectNode body = req.body();
        String account = req.account(body);
        String callbackUrl = Json.requiredText(body, "callbackUrl", Json.MAX_URL);
        String eventType = Json.text(body, "eventType");
        eventType = eventType == null ? "*" : eventType.trim();
        String secret = Json.text(body, "callbackSecret", Json.MAX_TOKEN);
        List<String> eventTypes = Json.stringList(body, "eventTypes", EventTypes.ALL.size(), 64);
        for (int i = 0; eventTypes != null && i < eventTypes.size(); i++) {
            if (!EventTypes.known(eventTypes.get(i))) {
                throw ApiError.invalid("'eventTypes[" + i + "]': unknown event type \"" + eventTypes.get(i)
                        + "\"; known: " + String.join(", ", EventTypes.ALL));
            }
        }
        Subscription s = new Subscription(Subscription.newId(), account, type, callbackUrl, eventType,
                secret == null || secret.isBlank() ? null : secret, clock.instant(), eventTypes);
        // A subscriber is a webhook destination: its checks are that destination's, the ones made before each send.
        List<String> problems = registry.problems(s.target());
        if (!problems.isEmpty()) {
            throw ApiError.invalid(String.join("; ", problems));
        }
        limits.newSubscription(account, () -> {
            store.put(s);
            return s;
        });
        return req.json().ok(201, view(req, s));
    }

    HttpApiResponse list(Request req) {
        String account = req.caller().account(req.query("account_id"));
        ObjectNode out = req.json().object();
        ArrayNode items = out.putArray("items");
        store.listByAccount(account).forEach(s -> items.add(view(req, s)));
        return req.json().ok(200, out);
    }

    HttpApiResponse delete(Request req) {
        String id = req.param("id");
        Subscription s = store.get(id).filter(x -> req.caller().owns(x.accountId()))
                .orElseThrow(() -> ApiError.notFound("subscription " + id + " not found"));
        limits.deleteSubscription(s.accountId(), () -> store.delete(s.subscriptionId()));
        return new HttpApiResponse(204, Map.of(), null, false);
    }

    private static ObjectNode view(Request req, Subscription s) {
        ObjectNode out = req.json().object();
        out.put("id", s.subscriptionId());
        out.put("accountId", s.accountId());
        out.put("providerType", s.providerType().wireName());
        out.put("callbackUrl", s.callbackUrl());
        out.put("eventType", s.eventType());
        if (s.eventTypes() != null) {
            s.eventTypes().forEach(out.putArray("eventTypes")::add);
        }
        out.put("hasSecret", s.callbackSecret() != null);
        out.put("createdAt", s.createdAt().toString());
        return out;
    }
}
