package com.leadsync.source;

import com.leadsync.connect.Connection;
import com.leadsync.lead.PipelineProbe;
import com.leadsync.queue.IngestMessage;
import com.leadsync.queue.QueuePublisher;
import com.leadsync.store.ConnectionStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Webhook receipt, provider-neutral: authenticate, parse, route each lead to its connection and queue it.
 * No provider API call happens here; that is the normalize step's job, off the request path.
 */
@ApplicationScoped
public class WebhookIntake {

    private static final Logger LOG = Logger.getLogger(WebhookIntake.class);

    public sealed interface Result {
    }

    public record Accepted(int queued, int unrouted) implements Result {
    }

    public record Unauthenticated(String reason) implements Result {
    }

    public record Malformed(String reason) implements Result {
    }

    private final ConnectionStore connections;
    private final UnroutedLeads unrouted;
    private final QueuePublisher queue;
    private final Clock clock;
    private final PipelineProbe probe;

    WebhookIntake(ConnectionStore connections, UnroutedLeads unrouted, QueuePublisher queue, Clock clock,
            PipelineProbe probe) {
        this.probe = probe;
        this.connections = connections;
        this.unrouted = unrouted;
        this.queue = queue;
        this.clock = clock;
    }

    public Result receive(LeadSource source, WebhookRequest request) {
        if (!source.verify(request)) {
            return new Unauthenticated("the request signature is missing or does not match the body");
        }
        List<LeadNotice> notices;
        try {
            notices = source.parse(request);
        } catch (MalformedPayloadException e) {
            return new Malformed(e.getMessage());
        }
        Instant now = clock.instant();
        List<IngestMessage> messages = new ArrayList<>();
        int unroutedCount = 0;
        // A batch usually carries many leads of few pages: look each page up once.
        Map<String, Optional<Connection>> routes = new HashMap<>();
        Map<String, List<LeadNotice>> unroutedByRoute = new LinkedHashMap<>();
        for (LeadNotice n : notices) {
            Optional<Connection> connection = routes.computeIfAbsent(n.externalId(),
                    id -> connections.findByRoute(n.providerType(), id));
            if (connection.isEmpty()) {
                unroutedCount++;
                unroutedByRoute.computeIfAbsent(Connection.routeKey(n.providerType(), n.externalId()),
                        k -> new ArrayList<>()).add(n);
                continue;
            }
            Connection c = connection.get();
            messages.add(new IngestMessage(c.accountId(), c.connectionId(), n.providerType(), n.externalId(),
                    n.providerLeadId(), n.formId(), n.adId(), n.createdTime(), "webhook", now));
        }
        queue.publishIngest(messages);
        messages.forEach(m -> probe.reached("webhook.queued", m.providerLeadId()));
        // Kept before the 200, like the routed ones: they go through once their page is connected.
        unroutedByRoute.values().forEach(unrouted::keep);
        return new Accepted(messages.size(), unroutedCount);
    }

}
