package com.leadsync.delivery.forward;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.delivery.DeliveryContext;
import com.leadsync.delivery.DeliveryException;
import com.leadsync.delivery.DeliveryReceipt;
import com.leadsync.delivery.DeliveryTarget;
import com.leadsync.delivery.Destination;
import com.leadsync.delivery.HttpOutcomes;
import com.leadsync.delivery.InvalidUrlException;
import com.leadsync.delivery.OutboundHttp;
import com.leadsync.delivery.PinnedUrl;
import com.leadsync.delivery.Subscription;
import com.leadsync.delivery.UrlPolicy;
import com.leadsync.event.Event;
import com.leadsync.event.EventTypes;
import com.leadsync.model.ProviderType;
import com.leadsync.model.StoredLead;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Forwards leads and events to webhook subscribers (contract §3, §9, Standard Webhooks): {@code {"type":"lead.created",
 * "timestamp","data":<lead>}} (an event: its type, its time, its data) with {@code webhook-id} = the delivery's idempotency key (the same on every
 * retry, so subscribers dedupe on it; new for a manual push), {@code webhook-timestamp} per attempt and, with a
 * {@code callbackSecret}, {@code webhook-signature}. A 410 means the subscriber wants no more.
 */
@ApplicationScoped
public class WebhookForwardDestination implements Destination {

    public static final String TYPE = Subscription.TARGET_TYPE;
    public static final String CALLBACK_URL = Subscription.CALLBACK_URL;
    public static final String CALLBACK_SECRET = Subscription.CALLBACK_SECRET;
    public static final String EVENT_TYPE = Subscription.EVENT_TYPE;
    public static final String PROVIDER_TYPE = Subscription.PROVIDER_TYPE;
    public static final String EVENT_TYPES = Subscription.EVENT_TYPES;
    public static final String EVENT_LEAD_CREATED = EventTypes.LEAD_CREATED;

    private final OutboundHttp http;
    private final UrlPolicy urlPolicy;
    private final ObjectMapper json;
    private final Clock clock;

    @Inject
    public WebhookForwardDestination(OutboundHttp http, UrlPolicy urlPolicy, ObjectMapper json) {
        this(http, urlPolicy, json, Clock.systemUTC());
    }

    public WebhookForwardDestination(OutboundHttp http, UrlPolicy urlPolicy, ObjectMapper json, Clock clock) {
        this.http = http;
        this.urlPolicy = urlPolicy;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of(CALLBACK_SECRET);
    }

    @Override
    public List<String> validate(DeliveryTarget target) {
        List<String> problems = new ArrayList<>();
        String url = target.config(CALLBACK_URL);
        if (url == null || url.isBlank()) {
            problems.add("callbackUrl is required");
        } else {
            try {
                urlPolicy.check(url);
            } catch (InvalidUrlException e) {
                // The engine re-validates before every send and fails permanently on a problem; a name that
                // does not resolve right now may be a DNS hiccup, so send() turns that into a retry instead.
                if (!e.unresolved()) {
                    problems.add("callbackUrl: " + e.getMessage());
                }
            }
        }
        String secret = target.config(CALLBACK_SECRET);
        if (secret != null && !secret.isEmpty()) { // empty = no secret, as in send()
            try {
                StandardWebhookSigner.key(secret);
            } catch (IllegalArgumentException e) {
                problems.add("callbackSecret: " + e.getMessage());
            }
        }
        String event = target.config(EVENT_TYPE);
        if (event != null && !event.equals("*") && !event.equals("leadgen")) {
            problems.add("eventType must be \"*\" or \"leadgen\"");
        }
        String types = target.config(EVENT_TYPES);
        if (types != null) {
            List<String> unknown = types.isEmpty() ? List.of() : Arrays.stream(types.split(",", -1))
                    .filter(t -> !EventTypes.known(t)).toList();
            if (types.isEmpty()) {
                problems.add("eventTypes must name at least one of " + String.join(", ", EventTypes.ALL));
            } else if (!unknown.isEmpty()) {
                problems.add("eventTypes: unknown event type(s) " + String.join(", ", unknown.stream()
                        .map(t -> "\"" + t + "\"").toList()) + "; known: " + String.join(", ", EventTypes.ALL));
            }
        }
        String provider = target.config(PROVIDER_TYPE);
        if (provider != null && !provider.equals("*") && ProviderType.fromWire(provider).isEmpty()) {
            problems.add("unknown providerType '" + provider + "'");
        }
        return problems;
    }

    @Override
    public DeliveryReceipt send(DeliveryTarget target, StoredLead lead, DeliveryContext context)
            throws DeliveryException {
        Instant now = clock.instant();
        return post(target, context, now, envelope(EVENT_LEAD_CREATED, now, lead));
    }

    /** An event's envelope carries the time it happened: the same in every retry, as its {@code webhook-id} is. */
    @Override
    public DeliveryReceipt sendEvent(DeliveryTarget target, Event event, DeliveryContext context)
            throws DeliveryException {
        return post(target, context, clock.instant(), envelope(event.type(), event.occurredAt(), event.data()));
    }

    private DeliveryReceipt post(DeliveryTarget target, DeliveryContext context, Instant now, String body)
            throws DeliveryException {
        String url = target.config(CALLBACK_URL);
        if (url == null || url.isBlank()) {
            throw DeliveryException.permanent("callbackUrl is missing", null);
        }
        PinnedUrl pinned = urlPolicy.checkBeforeSend(url);

        String msgId = context.idempotencyKey();
        long timestamp = now.getEpochSecond();

        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", msgId);
        headers.put("webhook-timestamp", Long.toString(timestamp));
        String secret = target.config(CALLBACK_SECRET);
        if (secret != null && !secret.isEmpty()) {
            try {
                headers.put("webhook-signature", StandardWebhookSigner.sign(secret, msgId, timestamp, body));
            } catch (IllegalArgumentException e) {
                throw DeliveryException.permanent("callbackSecret: " + e.getMessage(), null);
            }
        }

        OutboundHttp.Response response;
        try {
            response = http.postJson(pinned, body, headers);
        } catch (IOException e) {
            throw HttpOutcomes.transportFailure(e, http.defaultTimeout());
        } catch (IllegalArgumentException e) {
            throw DeliveryException.permanent("cannot build the request: " + e.getMessage(), null);
        }
        if (response.statusCode() == 410) {
            // Standard Webhooks: 410 Gone is the subscriber's way of unsubscribing; retrying would ignore that.
            throw DeliveryException.permanent("subscriber answered 410 Gone: it asked us to stop sending to "
                    + "this endpoint", 410);
        }
        return HttpOutcomes.receiptOrThrow(response);
    }

    private String envelope(String type, Instant at, Object data) throws DeliveryException {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("type", type);
        envelope.put("timestamp", at.truncatedTo(ChronoUnit.MILLIS).toString());
        envelope.put("data", data);
        try {
            return json.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw DeliveryException.permanent("cannot serialize the " + type + " event: " + e.getOriginalMessage(),
                    null);
        }
    }
}
