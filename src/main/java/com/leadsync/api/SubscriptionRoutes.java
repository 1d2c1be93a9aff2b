package com.leadsync.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.delivery.DeliveryContext;
import com.leadsync.delivery.DeliveryException;
import com.leadsync.delivery.DeliveryReceipt;
import com.leadsync.delivery.Destination;
import com.leadsync.delivery.Destinations;
import com.leadsync.delivery.Subscription;
import com.leadsync.delivery.SubscriptionRepository;
import com.leadsync.event.Event;
import com.leadsync.event.EventTypes;
import com.leadsync.model.ProviderType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Webhook subscriptions: leads forwarded to a caller's URL, Standard Webhooks-signed. The contract's routes over
 * destinations of type {@code webhook}, kept in a store of their own.
 */
@ApplicationScoped
public class SubscriptionRoutes implements Routes {

    /** The event type of a test send: not one a subscription can ask for, so no real event is ever mistaken for it. */
    static final String TEST_EVENT = "webhook.test";

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
        router.add("GET", "/webhooks/subscriptions/{id}", this::get);
        router.add("PUT", "/webhooks/subscriptions/{id}", this::update);
        router.add("DELETE", "/webhooks/subscriptions/{id}", this::delete);
        router.add("POST", "/webhooks/subscriptions/{id}/test", this::test);
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
        Subscription s = new Subscription(Subscription.newId(), account, type, callbackUrl, eventType,
                secret == null || secret.isBlank() ? null : secret, clock.instant(), eventTypes(body),
                Json.bool(body, "enabled", true));
        validate(s);
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

    HttpApiResponse get(Request req) {
        return req.json().ok(200, view(req, visible(req)));
    }

    /**
     * Changes what is given: {@code callbackUrl}, {@code eventType}, {@code eventTypes} ({@code null} goes back to
     * {@code eventType}), {@code callbackSecret} ({@code null} removes it; left out, it is kept) and {@code enabled}.
     * The provider cannot change: it decides which leads the subscription is about.
     */
    HttpApiResponse update(Request req) {
        Subscription current = visible(req);
        ObjectNode body = req.body();
        String provider = Json.text(body, "providerType");
        if (provider != null && !provider.equals(current.providerType().wireName())) {
            throw ApiError.invalid("'providerType' cannot change; subscribe again for another provider");
        }
        String url = Json.text(body, "callbackUrl", Json.MAX_URL);
        String eventType = Json.text(body, "eventType");
        String secret = current.callbackSecret();
        if (body.has("callbackSecret")) {
            String given = Json.text(body, "callbackSecret", Json.MAX_TOKEN);
            secret = given == null || given.isBlank() ? null : given;
        }
        Subscription next = new Subscription(current.subscriptionId(), current.accountId(), current.providerType(),
                url == null ? current.callbackUrl() : url, eventType == null ? current.eventType() : eventType.trim(),
                secret, current.createdAt(), body.has("eventTypes") ? eventTypes(body) : current.eventTypes(),
                Json.bool(body, "enabled", current.enabled()));
        validate(next);
        if (!store.replace(next)) {
            throw ApiError.notFound("subscription " + current.subscriptionId() + " not found");
        }
        return req.json().ok(200, view(req, next));
    }

    /**
     * Sends one signed {@code webhook.test} event to the callback now, enabled or not, and answers what it got:
     * 200 {@code {"ok", "message", "httpStatus"?}}. Nothing is stored or retried.
     */
    HttpApiResponse test(Request req) {
        Subscription s = visible(req);
        Destination webhook = registry.find(Subscription.TARGET_TYPE)
                .orElseThrow(() -> new IllegalStateException("the webhook destination is missing from this build"));
        ObjectNode data = req.json().object();
        data.put("subscriptionId", s.subscriptionId());
        data.put("message", "A test event from LeadSync: your endpoint is reachable.");
        String eventId = "evt_test_" + UUID.randomUUID().toString().replace("-", "");
        Event event = new Event(eventId, s.accountId(), TEST_EVENT, s.providerType(), clock.instant(), data);
        ObjectNode out = req.json().object();
        out.put("subscriptionId", s.subscriptionId());
        out.put("webhookId", eventId);
        try {
            DeliveryReceipt receipt = webhook.sendEvent(s.target(), event, new DeliveryContext(eventId));
            out.put("ok", true);
            out.put("message", "delivered: " + s.callbackUrl() + " answered " + receipt.httpStatus());
            out.put("httpStatus", receipt.httpStatus());
        } catch (DeliveryException e) {
            out.put("ok", false);
            out.put("message", e.getMessage());
            if (e.httpStatus() != null) {
                out.put("httpStatus", e.httpStatus());
            }
        }
        return req.json().ok(200, out);
    }

    HttpApiResponse delete(Request req) {
        Subscription s = visible(req);
        limits.deleteSubscription(s.accountId(), () -> store.delete(s.subscriptionId()));
        return new HttpApiResponse(204, Map.of(), null, false);
    }

    private Subscription visible(Request req) {
        String id = req.param("id");
        return store.get(id).filter(x -> req.caller().owns(x.accountId()))
                .orElseThrow(() -> ApiError.notFound("subscription " + id + " not found"));
    }

    /** A subscriber is a webhook destination: its checks are that destination's, the ones made before each send. */
    private void validate(Subscription s) {
        List<String> problems = registry.problems(s.target());
        if (!problems.isEmpty()) {
            throw ApiError.invalid(String.join("; ", problems));
        }
    }

    private static List<String> eventTypes(ObjectNode body) {
        List<String> eventTypes = Json.stringList(body, "eventTypes", EventTypes.ALL.size(), 64);
        if (eventTypes != null && eventTypes.isEmpty()) {
            throw ApiError.invalid("'eventTypes' must name at least one event type (known: "
                    + String.join(", ", EventTypes.ALL) + "); disable the subscription to receive nothing");
        }
        for (int i = 0; eventTypes != null && i < eventTypes.size(); i++) {
            if (!EventTypes.known(eventTypes.get(i))) {
                throw ApiError.invalid("'eventTypes[" + i + "]': unknown event type \"" + eventTypes.get(i)
                        + "\"; known: " + String.join(", ", EventTypes.ALL));
            }
        }
        return eventTypes;
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
        out.put("enabled", s.enabled());
        out.put("createdAt", s.createdAt().toString());
        return out;
    }
}
