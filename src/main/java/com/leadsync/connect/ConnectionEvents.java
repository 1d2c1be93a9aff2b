package com.leadsync.connect;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.event.Event;
import com.leadsync.event.EventRepository;
import com.leadsync.event.EventSink;
import com.leadsync.event.EventTypes;
import com.leadsync.model.Connection;
import com.leadsync.model.ConnectionStatus;
import com.leadsync.model.ProviderType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;

/**
 * {@code connection.needs_reauth} and {@code connection.expiring} (contract §9), with data {@code {"connectionId",
 * "providerType", "externalId", "status", "expiresAt"}}. One event per dead set of tokens (a reconnect stores new
 * ones, whose death is news again) and one per expiry: telling twice is the same event, delivered once.
 */
@ApplicationScoped
public class ConnectionEvents {

    private final EventSink sink;
    private final EventRepository told;
    private final Clock clock;

    ConnectionEvents(EventSink sink, EventRepository told, Clock clock) {
        this.sink = sink;
        this.told = told;
        this.clock = clock;
    }

    /** What an event tells of a connection. */
    public record About(String connectionId, String accountId, ProviderType providerType, String externalId,
            Instant expiresAt) {
    }

    public void needsReauth(Connection c, long tokenVersion) {
        needsReauth(new About(c.connectionId(), c.accountId(), c.providerType(), c.externalId(), c.expiresAt()),
                tokenVersion);
    }

    public void needsReauth(About c, long tokenVersion) {
        tell(EventTypes.CONNECTION_NEEDS_REAUTH, c, needsReauthSubject(c, tokenVersion), ConnectionStatus.NEEDS_REAUTH);
    }

    private static String needsReauthSubject(About c, long tokenVersion) {
        return c.connectionId() + "/tokens/" + tokenVersion;
    }

    /**
     * The daily check's catch-up: tells {@code needs_reauth} unless its event is stored already (told when the
     * connection was marked), so a connection that stays dead costs one read a day, not a fan-out. True when told.
     */
    public boolean needsReauthUnlessTold(About c, long tokenVersion) {
        if (told.get(Event.idFor(EventTypes.CONNECTION_NEEDS_REAUTH, needsReauthSubject(c, tokenVersion)))
                .isPresent()) {
            return false;
        }
        needsReauth(c, tokenVersion);
        return true;
    }

    public void expiring(About c, ConnectionStatus status) {
        tell(EventTypes.CONNECTION_EXPIRING, c, c.connectionId() + "/expires/" + c.expiresAt(), status);
    }

    private void tell(String type, About c, String subject, ConnectionStatus status) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("connectionId", c.connectionId());
        data.put("providerType", c.providerType().wireName());
        data.put("externalId", c.externalId());
        data.put("status", status.wireName());
        data.put("expiresAt", c.expiresAt() == null ? null : c.expiresAt().toString());
        sink.emit(new Event(Event.idFor(type, subject), c.accountId(), type, c.providerType(), clock.instant(), data));
    }
}
