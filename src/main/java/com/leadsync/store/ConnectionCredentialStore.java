package com.leadsync.store;

import static com.leadsync.store.ConnectionStore.ACCESS_TOKEN;
import static com.leadsync.store.ConnectionStore.REFRESH_TOKEN;
import static com.leadsync.store.ConnectionStore.STATUS;
import static com.leadsync.store.ConnectionStore.STATUS_REASON;
import static com.leadsync.store.ConnectionStore.TOKEN_VERSION;

import com.leadsync.connect.CredentialRepository;
import com.leadsync.connect.RefreshedTokens;
import com.leadsync.connect.StoredGrant;
import com.leadsync.model.Connection;
import com.leadsync.model.ConnectionStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The credentials component's operations on a connection's item (its route key): every one a single
 * conditional write on "the route still holds this connection", so a deleted or reconnected connection is
 * never written back to life. The refresh lease is {@code refreshLeaseOwner} + {@code refreshLeaseUntil}
 * (epoch ms); {@code tokenVersion} is missing (read as 0) on items from before it existed.
 */
@ApplicationScoped
public class ConnectionCredentialStore implements CredentialRepository<Connection> {

    static final String LEASE_OWNER = "refreshLeaseOwner";
    static final String LEASE_UNTIL = "refreshLeaseUntil";
    private static final String GRANT = String.join(", ", "connectionId", "accessToken", "refreshToken",
            "expiresAt", TOKEN_VERSION, "#st", STATUS_REASON, LEASE_OWNER, LEASE_UNTIL);

    private final DynamoDbClient dynamo;
    private final TableNames tables;
    private final StoredSecrets secrets;

    ConnectionCredentialStore(DynamoDbClient dynamo, TableNames tables, StoredSecrets secrets) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.secrets = secrets;
    }

    @Override
    public Optional<StoredGrant> read(Connection c) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table()).key(key(c)).consistentRead(true)
                .projectionExpression(GRANT).expressionAttributeNames(Map.of("#st", STATUS))).item();
        if (item == null || !c.connectionId().equals(Attr.str(item, "connectionId"))) {
            return Optional.empty();
        }
        return Optional.of(grant(c, item));
    }

    @Override
    public boolean takeRefreshLease(Connection c, String owner, Instant now, Instant until) {
        return update(c, "SET " + LEASE_OWNER + " = :me, " + LEASE_UNTIL + " = :until",
                "connectionId = :id AND (attribute_not_exists(" + LEASE_UNTIL + ") OR " + LEASE_UNTIL + " < :now OR "
                        + LEASE_OWNER + " = :me)",
                Attr.values(":id", Attr.s(c.connectionId()), ":me", Attr.s(owner),
                        ":until", Attr.n(until.toEpochMilli()), ":now", Attr.n(now.toEpochMilli())),
                false).isPresent();
    }

    @Override
    public void releaseRefreshLease(Connection c, String owner) {
        update(c, "REMOVE " + LEASE_OWNER + ", " + LEASE_UNTIL, "connectionId = :id AND " + LEASE_OWNER + " = :me",
                Attr.values(":id", Attr.s(c.connectionId()), ":me", Attr.s(owner)), false);
    }

    @Override
    public Optional<StoredGrant> saveRefreshed(Connection c, String owner, long fromVersion, RefreshedTokens tokens) {
        List<String> set = new ArrayList<>(List.of("accessToken = :access", TOKEN_VERSION + " = :next"));
        List<String> remove = new ArrayList<>(List.of(LEASE_OWNER, LEASE_UNTIL));
        Map<String, AttributeValue> values = Attr.values(":id", Attr.s(c.connectionId()), ":me", Attr.s(owner),
                ":access", secrets.seal(Schema.CONNECTIONS, c.routeKey(), ACCESS_TOKEN, tokens.accessToken()),
                ":next", Attr.n(fromVersion + 1));
        if (tokens.refreshToken() != null) {
            set.add("refreshToken = :refresh");
            values.put(":refresh", secrets.seal(Schema.CONNECTIONS, c.routeKey(), REFRESH_TOKEN, tokens.refreshToken()));
        }
        if (tokens.expiresAt() == null) {
            remove.add("expiresAt");
        } else {
            set.add("expiresAt = :expires");
            values.put(":expires", Attr.s(tokens.expiresAt().toString()));
        }
        return update(c, "SET " + String.join(", ", set) + " REMOVE " + String.join(", ", remove),
                "connectionId = :id AND " + LEASE_OWNER + " = :me AND " + isVersion(fromVersion, values),
                values, true).map(item -> grant(c, item));
    }

    @Override
    public boolean markNeedsReauth(Connection c, long fromVersion, String reason) {
        Map<String, AttributeValue> values = Attr.values(":id", Attr.s(c.connectionId()),
                ":st", Attr.s(ConnectionStatus.NEEDS_REAUTH.wireName()), ":reason", Attr.s(reason));
        return update(c, "SET #st = :st, " + STATUS_REASON + " = :reason REMOVE " + LEASE_OWNER + ", " + LEASE_UNTIL,
                "connectionId = :id AND " + isVersion(fromVersion, values), values, false).isPresent();
    }

    /** The condition "the stored tokens are version {@code v}" (items from before versions are version 0). */
    static String isVersion(long v, Map<String, AttributeValue> values) {
        values.put(":v", Attr.n(v));
        String equal = TOKEN_VERSION + " = :v";
        return v == 0 ? "(attribute_not_exists(" + TOKEN_VERSION + ") OR " + equal + ")" : equal;
    }

    /** One conditional update; empty when the condition failed, else the new item ({@code returnNew}) or an empty one. */
    private Optional<Map<String, AttributeValue>> update(Connection c, String update, String condition,
            Map<String, AttributeValue> values, boolean returnNew) {
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(b -> {
                b.tableName(table()).key(key(c)).updateExpression(update).conditionExpression(condition)
                        .expressionAttributeValues(values)
                        .returnValues(returnNew ? ReturnValue.ALL_NEW : ReturnValue.NONE);
                if (update.contains("#st")) {
                    b.expressionAttributeNames(Map.of("#st", STATUS));
                }
            }).attributes();
            return Optional.of(item == null ? Map.of() : item);
        } catch (ConditionalCheckFailedException lost) {
            return Optional.empty();
        }
    }

    private StoredGrant grant(Connection c, Map<String, AttributeValue> item) {
        Long leaseUntil = Attr.numOrNull(item, LEASE_UNTIL);
        return new StoredGrant(secrets.open(item, Schema.CONNECTIONS, c.routeKey(), ACCESS_TOKEN),
                secrets.open(item, Schema.CONNECTIONS, c.routeKey(), REFRESH_TOKEN),
                Attr.instant(item, "expiresAt"), ConnectionStore.tokenVersion(item), ConnectionStore.status(item),
                Attr.str(item, STATUS_REASON), Attr.str(item, LEASE_OWNER),
                leaseUntil == null ? null : Instant.ofEpochMilli(leaseUntil));
    }

    private static Map<String, AttributeValue> key(Connection c) {
        return Map.of("routeKey", Attr.s(c.routeKey()));
    }

    private String table() {
        return tables.of(Schema.CONNECTIONS);
    }
}
