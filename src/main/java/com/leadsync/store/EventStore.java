package com.leadsync.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.event.Event;
import com.leadsync.event.EventRepository;
import com.leadsync.model.ProviderType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * {@link EventRepository} in one item per event: {@code data} as JSON text, {@code expiresAt} (epoch s) the TTL,
 * {@code leadsync.events.retention} after the event — longer than any delivery of it may still be retried.
 */
@ApplicationScoped
public class EventStore implements EventRepository {

    private final DynamoDbClient dynamo;
    private final TableNames tables;
    private final ObjectMapper json;
    private final Duration retention;

    EventStore(DynamoDbClient dynamo, TableNames tables, ObjectMapper json,
            @ConfigProperty(name = "leadsync.events.retention") Duration retention) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.json = json;
        this.retention = retention;
    }

    private String table() {
        return tables.of(Schema.EVENTS);
    }

    @Override
    public Event putIfAbsent(Event event) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("eventId", Attr.s(event.eventId()));
        item.put("accountId", Attr.s(event.accountId()));
        item.put("type", Attr.s(event.type()));
        if (event.providerType() != null) {
            item.put("providerType", Attr.s(event.providerType().wireName()));
        }
        Attr.put(item, "occurredAt", event.occurredAt());
        try {
            item.put("data", Attr.s(json.writeValueAsString(event.data())));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + event.eventId() + ": data is not JSON-writable", e);
        }
        item.put("expiresAt", Attr.n(event.occurredAt().plus(retention).getEpochSecond()));
        try {
            dynamo.putItem(b -> b.tableName(table()).item(item).conditionExpression("attribute_not_exists(eventId)")
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return event;
        } catch (ConditionalCheckFailedException stored) {
            return stored.hasItem() && !stored.item().isEmpty() ? read(stored.item())
                    : get(event.eventId()).orElse(event);
        }
    }

    @Override
    public Optional<Event> get(String eventId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table())
                .key(Map.of("eventId", Attr.s(eventId))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(read(item));
    }

    private Event read(Map<String, AttributeValue> item) {
        try {
            return new Event(Attr.str(item, "eventId"), Attr.str(item, "accountId"), Attr.str(item, "type"),
                    Optional.ofNullable(Attr.str(item, "providerType")).flatMap(ProviderType::fromWire).orElse(null),
                    Attr.instant(item, "occurredAt"), json.readTree(Attr.str(item, "data")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + Attr.str(item, "eventId") + ": stored data is not JSON", e);
        }
    }
}
