package com.leadsync.store;

import com.leadsync.connect.ConnectionRepository;
import com.leadsync.connect.WebhookKeyTaken;
import com.leadsync.crypto.Sha256;
import com.leadsync.model.ConditionFailed;
import com.leadsync.model.Connection;
import com.leadsync.model.ConnectionStatus;
import com.leadsync.model.ProviderType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Connected ad accounts, keyed by route so that webhook routing is a single consistent read. A connection
 * whose webhooks authenticate with a per-connection secret (config {@code webhookKey}: Google's
 * {@code google_key}) also owns a key item, {@code routeKey = webhookKey#<sha-256 of the key>}, that points
 * at its route: the lookup by key is one read too, and the key's conditional create makes it unique.
 */
@ApplicationScoped
public class ConnectionStore implements ConnectionRepository {

    private final DynamoDbClient dynamo;
    private final TableNames tables;
    private final StoredSecrets secrets;

    ConnectionStore(DynamoDbClient dynamo, TableNames tables, StoredSecrets secrets) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.secrets = secrets;
    }

    /**
     * Stores a new connection; {@link ConditionFailed} when that provider account is already connected, or
     * {@link WebhookKeyTaken} when another connection has the same webhook key.
     */
    public void create(Connection c) {
        String key = c.webhookKey();
        if (key != null) {
            claimWebhookKey(key, c);
        }
        try {
            putConnection(c);
        } catch (ConditionFailed e) {
            if (key != null) {
                releaseWebhookKey(key, c.connectionId());
            }
            throw e;
        }
    }

    /** The connection whose webhook key is {@code key} (the caller compares the stored key in constant time). */
    public Optional<Connection> findByWebhookKey(String key) {
        Map<String, AttributeValue> pointer = dynamo.getItem(b -> b.tableName(tables.of(Schema.CONNECTIONS))
                .key(Map.of("routeKey", Attr.s(keyRoute(key)))).consistentRead(true)).item();
        if (pointer == null || pointer.isEmpty()) {
            return Optional.empty();
        }
        String route = Attr.str(pointer, "keyOfRoute");
        String owner = Attr.str(pointer, "keyOf");
        return findByRouteKey(route).filter(c -> c.connectionId().equals(owner));
    }

    private void claimWebhookKey(String key, Connection c) {
        Map<String, AttributeValue> item = Map.of("routeKey", Attr.s(keyRoute(key)), "keyOf", Attr.s(c.connectionId()),
                "keyOfRoute", Attr.s(c.routeKey()));
        try {
            dynamo.putItem(b -> b.tableName(tables.of(Schema.CONNECTIONS)).item(item)
                    .conditionExpression("attribute_not_exists(routeKey)"));
        } catch (ConditionalCheckFailedException held) {
            // Held: by a live connection (taken), or left by a create that crashed before its connection
            // was written (then taken over, conditionally on that same orphan holder).
            Map<String, AttributeValue> pointer = dynamo.getItem(b -> b.tableName(tables.of(Schema.CONNECTIONS))
                    .key(Map.of("routeKey", Attr.s(keyRoute(key)))).consistentRead(true)).item();
            String holder = pointer == null ? null : Attr.str(pointer, "keyOf");
            boolean live = holder != null && findByRouteKey(Attr.str(pointer, "keyOfRoute"))
                    .filter(x -> x.connectionId().equals(holder)).isPresent();
            if (live || holder == null) {
                throw new WebhookKeyTaken();
            }
            try {
                dynamo.putItem(b -> b.tableName(tables.of(Schema.CONNECTIONS)).item(item)
                        .conditionExpression("keyOf = :old").expressionAttributeValues(Map.of(":old", Attr.s(holder))));
            } catch (ConditionalCheckFailedException raced) {
                throw new WebhookKeyTaken();
            }
        }
    }

    private void releaseWebhookKey(String key, String connectionId) {
        try {
            dynamo.deleteItem(b -> b.tableName(tables.of(Schema.CONNECTIONS))
                    .key(Map.of("routeKey", Attr.s(keyRoute(key))))
                    .conditionExpression("keyOf = :id")
                    .expressionAttributeValues(Map.of(":id", Attr.s(connectionId))));
        } catch (ConditionalCheckFailedException notOurs) {
            // Another connection's key now, or gone already.
        }
    }

    private Map<String, String> sealedConfig(Connection c) {
        return secrets.sealKeys(c.config(), Connection::isSecretConfigKey, Schema.CONNECTIONS, c.routeKey(), CONFIG);
    }

    private static String keyRoute(String key) {
        return Connection.WEBHOOK_KEY + "#" + Sha256.hex(key);
    }

    private void putConnection(Connection c) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("routeKey", Attr.s(c.routeKey()));
        item.put("connectionId", Attr.s(c.connectionId()));
        item.put("accountId", Attr.s(c.accountId()));
        item.put("providerType", Attr.s(c.providerType().wireName()));
        item.put("externalId", Attr.s(c.externalId()));
        secrets.put(item, Schema.CONNECTIONS, c.routeKey(), ACCESS_TOKEN, c.accessToken());
        secrets.put(item, Schema.CONNECTIONS, c.routeKey(), REFRESH_TOKEN, c.refreshToken());
        Attr.put(item, "expiresAt", c.expiresAt());
        item.put(CONFIG, Attr.map(sealedConfig(c)));
        Attr.put(item, "createdAt", c.createdAt());
        putStatus(item, c);
        try {
            dynamo.putItem(b -> b.tableName(tables.of(Schema.CONNECTIONS)).item(item)
                    .conditionExpression("attribute_not_exists(routeKey)"));
        } catch (ConditionalCheckFailedException e) {
            throw new ConditionFailed("connection already exists for " + c.routeKey());
        }
    }

    /**
     * Replaces the tokens (and config) of that connection in one conditional write, so webhooks keep routing
     * to it throughout; {@link ConditionFailed} when the route no longer holds this connection. New tokens
     * make it {@code active} again (a refresh in flight from the old ones then cannot store its result).
     */
    public void replaceTokens(Connection c) {
        List<String> set = new ArrayList<>(List.of("accessToken = :access", "config = :config"));
        List<String> remove = new ArrayList<>();
        Map<String, AttributeValue> values = new HashMap<>();
        activate(set, remove, values);
        values.put(":id", Attr.s(c.connectionId()));
        values.put(":access", secrets.seal(Schema.CONNECTIONS, c.routeKey(), ACCESS_TOKEN, c.accessToken()));
        values.put(":config", Attr.map(sealedConfig(c)));
        if (c.refreshToken() == null) {
            remove.add("refreshToken");
        } else {
            set.add("refreshToken = :refresh");
            values.put(":refresh", secrets.seal(Schema.CONNECTIONS, c.routeKey(), REFRESH_TOKEN, c.refreshToken()));
        }
        if (c.expiresAt() == null) {
            remove.add("expiresAt");
        } else {
            set.add("expiresAt = :expires");
            values.put(":expires", Attr.s(c.expiresAt().toString()));
        }
        String update = "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        try {
            dynamo.updateItem(b -> b.tableName(tables.of(Schema.CONNECTIONS))
                    .key(Map.of("routeKey", Attr.s(c.routeKey())))
                    .updateExpression(update)
                    .conditionExpression("connectionId = :id")
                    .expressionAttributeNames(Map.of("#st", STATUS))
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException e) {
            throw new ConditionFailed("connection " + c.connectionId() + " no longer holds " + c.routeKey());
        }
    }

    public Optional<Connection> findByRoute(ProviderType type, String externalId) {
        return findByRouteKey(Connection.routeKey(type, externalId));
    }

    private Optional<Connection> findByRouteKey(String routeKey) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.of(Schema.CONNECTIONS))
                .key(Map.of("routeKey", Attr.s(routeKey))).consistentRead(true)).item();
        return item == null || item.isEmpty() || !item.containsKey("providerType") ? Optional.empty()
                : Optional.of(read(item));
    }

    public Optional<Connection> findById(String connectionId) {
        return dynamo.query(b -> b.tableName(tables.of(Schema.CONNECTIONS)).indexName("byId")
                        .keyConditionExpression("connectionId = :id")
                        .expressionAttributeValues(Map.of(":id", Attr.s(connectionId))))
                .items().stream().findFirst().map(this::read);
    }

    public List<Connection> listByAccount(String accountId) {
        return dynamo.queryPaginator(b -> b.tableName(tables.of(Schema.CONNECTIONS)).indexName("byAccount")
                        .keyConditionExpression("accountId = :a")
                        .expressionAttributeValues(Map.of(":a", Attr.s(accountId))))
                .items().stream().map(this::read).toList();
    }

    /** Deletes that connection; a no-op if the route meanwhile belongs to another (reconnected) connection. */
    public void delete(Connection c) {
        deleteConnection(c);
        String key = c.webhookKey();
        if (key != null) {
            releaseWebhookKey(key, c.connectionId());
        }
    }

    private void deleteConnection(Connection c) {
        try {
            dynamo.deleteItem(b -> b.tableName(tables.of(Schema.CONNECTIONS))
                    .key(Map.of("routeKey", Attr.s(c.routeKey())))
                    .conditionExpression("connectionId = :id")
                    .expressionAttributeValues(Map.of(":id", Attr.s(c.connectionId()))));
        } catch (ConditionalCheckFailedException gone) {
            // Already deleted, or the route was reconnected since: nothing of this connection is left.
        }
    }

    @Override
    public GrantPage scanGrants(String after, int limit) {
        ScanResponse page = dynamo.scan(b -> {
            b.tableName(tables.of(Schema.CONNECTIONS)).limit(limit)
                    .projectionExpression("routeKey, connectionId, accountId, providerType, externalId, #st,"
                            + " expiresAt, " + REFRESH_TOKEN + ", " + TOKEN_VERSION)
                    .expressionAttributeNames(Map.of("#st", STATUS));
            if (after != null) {
                b.exclusiveStartKey(Map.of("routeKey", Attr.s(after)));
            }
        });
        // Items without a known provider type are not connections (webhook-key pointers) or of a newer build.
        List<GrantState> items = page.items().stream()
                .filter(item -> Attr.str(item, "connectionId") != null && Optional.ofNullable(
                        Attr.str(item, "providerType")).flatMap(ProviderType::fromWire).isPresent())
                .map(item -> new GrantState(Attr.str(item, "connectionId"), Attr.str(item, "accountId"),
                        ProviderType.fromWire(Attr.str(item, "providerType")).orElseThrow(),
                        Attr.str(item, "externalId"), status(item), Attr.instant(item, "expiresAt"),
                        item.containsKey(REFRESH_TOKEN), tokenVersion(item)))
                .toList();
        Map<String, AttributeValue> last = page.lastEvaluatedKey();
        return new GrantPage(items, last == null || last.isEmpty() ? null : Attr.str(last, "routeKey"));
    }

    private Connection read(Map<String, AttributeValue> item) {
        String route = Attr.str(item, "routeKey");
        return new Connection(Attr.str(item, "connectionId"), Attr.str(item, "accountId"),
                ProviderType.fromWire(Attr.str(item, "providerType")).orElseThrow(),
                Attr.str(item, "externalId"), secrets.open(item, Schema.CONNECTIONS, route, ACCESS_TOKEN),
                secrets.open(item, Schema.CONNECTIONS, route, REFRESH_TOKEN), Attr.instant(item, "expiresAt"),
                secrets.openKeys(Attr.strMap(item, CONFIG), Connection::isSecretConfigKey, Schema.CONNECTIONS, route,
                        CONFIG),
                Optional.ofNullable(Attr.instant(item, "createdAt")).orElse(Instant.EPOCH),
                status(item), Attr.str(item, STATUS_REASON));
    }

    // --- Token status and version (the credentials component's fields; its operations: ConnectionCredentialStore)

    static final String ACCESS_TOKEN = "accessToken";
    static final String REFRESH_TOKEN = "refreshToken";
    static final String CONFIG = "config";
    static final String STATUS = "status";
    static final String STATUS_REASON = "statusReason";
    /** Incremented by every token write, so a refresh stores its result only over the tokens it started from. */
    static final String TOKEN_VERSION = "tokenVersion";

    private static void putStatus(Map<String, AttributeValue> item, Connection c) {
        item.put(STATUS, Attr.s(c.status().wireName()));
        Attr.put(item, STATUS_REASON, c.statusReason());
        item.put(TOKEN_VERSION, Attr.n(1));
    }

    /** New tokens: active again, no reason, a new token version. */
    private static void activate(List<String> set, List<String> remove, Map<String, AttributeValue> values) {
        set.add("#st = :active");
        set.add(TOKEN_VERSION + " = if_not_exists(" + TOKEN_VERSION + ", :zero) + :one");
        remove.add(STATUS_REASON);
        values.put(":active", Attr.s(ConnectionStatus.ACTIVE.wireName()));
        values.put(":zero", Attr.n(0));
        values.put(":one", Attr.n(1));
    }

    /** Items written before token versions existed are version 0 (their first write of new tokens makes them 1). */
    static long tokenVersion(Map<String, AttributeValue> item) {
        return Attr.num(item, TOKEN_VERSION, 0);
    }

    /** Items written before statuses existed are active. */
    static ConnectionStatus status(Map<String, AttributeValue> item) {
        String wire = Attr.str(item, STATUS);
        return wire == null ? ConnectionStatus.ACTIVE : ConnectionStatus.fromWire(wire)
                .orElseThrow(() -> new IllegalStateException("unknown connection status '" + wire + "'"));
    }
}
