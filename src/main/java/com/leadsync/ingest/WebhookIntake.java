package com.leadsync.ingest;

import com.leadsync.connect.ConnectionRepository;
import com.leadsync.lead.PipelineProbe;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderType;
import com.leadsync.source.ConnectionLookup;
import com.leadsync.source.LeadNotice;
import com.leadsync.source.MalformedPayloadException;
import com.leadsync.source.WebhookReceipt;
import com.leadsync.source.WebhookReceiver;
import com.leadsync.source.WebhookRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Webhook receipt, provider-neutral: the platform's receiver authenticates and parses (routing first where
 * the secret is per connection), then each lead is routed to its connection and queued. No provider API
 * call happens here; fetching is the normalize step's job, off the request path.
 */
@ApplicationScoped
public class WebhookIntake {

    public sealed interface Result {
    }

    public record Accepted(int queued, int unrouted) implements Result {
    }

    public record Unauthenticated(String reason) implements Result {
    }

    public record Malformed(String reason) implements Result {
    }

    private final ConnectionRepository connections;
    private final UnroutedLeads unrouted;
    private final IngestQueue queue;
    private final Clock clock;
    private final PipelineProbe probe;
    private final ReceivedLeads received;

    WebhookIntake(ConnectionRepository connections, UnroutedLeads unrouted, IngestQueue queue, Clock clock,
            PipelineProbe probe, ReceivedLeads received) {
        this.received = received;
        this.probe = probe;
        this.connections = connections;
        this.unrouted = unrouted;
        this.queue = queue;
        this.clock = clock;
    }

    public Result receive(WebhookReceiver receiver, WebhookRequest request) {
        // A batch usually carries many leads of few accounts: look each account up once.
        Map<String, Optional<Connection>> routes = new HashMap<>();
        ConnectionLookup lookup = new Lookup(receiver.type(), routes);
        WebhookReceipt receipt;
        try {
            receipt = receiver.receive(request, lookup);
        } catch (MalformedPayloadException e) {
            return new Malformed(e.getMessage());
        }
        if (receipt instanceof WebhookReceipt.Unauthenticated u) {
            return new Unauthenticated(u.reason());
        }
        List<LeadNotice> notices = ((WebhookReceipt.Leads) receipt).notices();
        Instant now = clock.instant();
        List<IngestMessage> messages = new ArrayList<>();
        int unroutedCount = 0;
        Map<String, List<LeadNotice>> unroutedByRoute = new LinkedHashMap<>();
        for (LeadNotice n : notices) {
            Optional<Connection> connection = lookup.byExternalId(n.externalId());
            if (connection.isEmpty()) {
                unroutedCount++;
                unroutedByRoute.computeIfAbsent(Connection.routeKey(n.providerType(), n.externalId()),
                        k -> new ArrayList<>()).add(n);
                continue;
            }
            messages.add(IngestMessages.of(connection.get(), n, "webhook", now));
        }
        queue.publishIngest(messages);
        received.queued(messages, true);
        messages.forEach(m -> probe.reached("webhook.queued", m.providerLeadId()));
        // Kept before the 200, like the routed ones: they go through once their account is connected.
        unroutedByRoute.values().forEach(unrouted::keep);
        return new Accepted(messages.size(), unroutedCount);
    }

    /** Routing reads for one call, memoized; a found key is compared with the stored one in constant time. */
    private final class Lookup implements ConnectionLookup {
        private final ProviderType type;
        private final Map<String, Optional<Connection>> routes;

        Lookup(ProviderType type, Map<String, Optional<Connection>> routes) {
            this.type = type;
            this.routes = routes;
        }

        @Override
        public Optional<Connection> byExternalId(String externalId) {
            return routes.computeIfAbsent(externalId, id -> connections.findByRoute(type, id));
        }

        @Override
        public Optional<Connection> byWebhookKey(String key) {
            if (key == null || key.isEmpty()) {
                return Optional.empty();
            }
            Optional<Connection> found = connections.findByWebhookKey(key)
                    .filter(c -> c.providerType() == type)
                    .filter(c -> MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8),
                            String.valueOf(c.webhookKey()).getBytes(StandardCharsets.UTF_8)));
            found.ifPresent(c -> routes.put(c.externalId(), found));
            return found;
        }
    }
}
