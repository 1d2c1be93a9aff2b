package com.leadsync.store;

import static com.leadsync.store.ConnectionCredentialStore.LEASE_OWNER;
import static com.leadsync.store.ConnectionCredentialStore.LEASE_UNTIL;
import static com.leadsync.store.ConnectionCredentialStore.isVersion;
import static com.leadsync.store.ConnectionStore.STATUS;
import static com.leadsync.store.ConnectionStore.STATUS_REASON;
import static com.leadsync.store.ConnectionStore.TOKEN_VERSION;
import static com.leadsync.store.DestinationStore.CONFIG;
import static com.leadsync.store.DestinationStore.TOKEN_EXPIRES_AT;

import com.leadsync.connect.CredentialRepository;
import com.leadsync.connect.RefreshedTokens;
import com.leadsync.connect.StoredGrant;
import com.leadsync.delivery.DeliveryTarget;
import com.leadsync.delivery.Destination;
import com.leadsync.model.ConnectionStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The credentials component's operations on a CRM destination's item (key {@code destinationId}): the tokens stay
 * where the destination's config keeps them ({@code config.accessToken}, {@code config.refreshToken}; a destination
 * with only an {@code apiToken} hands that over as its access token), the rest is top level ({@code tokenVersion},
 * {@code tokenExpiresAt}, {@code status}, {@code statusReason}, the refresh lease). Every write is one conditional
 * update on "the item still exists", so a refresh finishing after a delete never writes the destination back.
 */
@ApplicationScoped
public class DestinationCredentialStore implements CredentialRepository<DeliveryTarget> {

    static final String ACCESS_TOKEN = "accessToken";
    static final String REFRESH_TOKEN = "refreshToken";
    static final String API_TOKEN = "apiToken";
    static final Set<String> TOKEN_KEYS = Destination.TOKEN_KEYS;
    private static final String EXISTS = "attribute_exists(destinationId)";
    private static final String GRANT = String.join(", ", "destinationId", "#cfg.#access", "#cfg.#refresh", "#cfg.#api",
            TOKEN_EXPIRES_AT, TOKEN_VERSION, "#st", STATUS_REASON, LEASE_OWNER, LEASE_UNTIL);
    private static final Map<String, String> GRANT_NAMES = Map.of("#cfg", CONFIG, "#access", ACCESS_TOKEN,
            "#refresh", REFRESH_TOKEN, "#api", API_TOKEN, "#st", STATUS);

    private final DynamoDbClient dynamo;
    private final TableNames tables;
    private final StoredSecrets secrets;

    DestinationCredentialStore(DynamoDbClient dynamo, TableNames tables, StoredSecrets secrets) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.secrets = secrets;
    }

    @Override
    public Optional<StoredGrant> read(DeliveryTarget d) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table()).key(key(d)).consistentRead(true)
                .projectionExpression(GRANT).expressionAttributeNames(GRANT_NAMES)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(grant(d, item));
    }

    @Override
    public boolean takeRefreshLease(DeliveryTarget d, String owner, Instant now, Instant until) {
        return update(d, "SET " + LEASE_OWNER + " = :me, " + LEASE_UNTIL + " = :until",
                EXISTS + " AND (attribute_not_exists(" + LEASE_UNTIL + ") OR " + LEASE_UNTIL + " < :now OR "
                        + LEASE_OWNER + " = :me)",
                Attr.values(":me", Attr.s(owner), ":until", Attr.n(until.toEpochMilli()),
                        ":now", Attr.n(now.toEpochMilli())), Map.of(), false).isPresent();
    }

    @Override
    public void releaseRefreshLease(DeliveryTarget d, String owner) {
        update(d, "REMOVE " + LEASE_OWNER + ", " + LEASE_UNTIL, EXISTS + " AND " + LEASE_OWNER + " = :me",
                Attr.values(":me", Attr.s(owner)), Map.of(), false);
    }

    @Override
    public Optional<StoredGrant> saveRefreshed(DeliveryTarget d, String owner, long fromVersion,
            RefreshedTokens tokens) {
        List<String> set = new ArrayList<>(List.of("#cfg.#access = :access", TOKEN_VERSION + " = :next"));
        List<String> remove = new ArrayList<>(List.of(LEASE_OWNER, LEASE_UNTIL));
        Map<String, String> names = new HashMap<>(Map.of("#cfg", CONFIG, "#access", ACCESS_TOKEN));
        Map<String, AttributeValue> values = Attr.values(":me", Attr.s(owner),
                ":access", seal(d, ACCESS_TOKEN, tokens.accessToken()), ":next", Attr.n(fromVersion + 1));
        if (tokens.refreshToken() != null) {
            set.add("#cfg.#refresh = :refresh");
            names.put("#refresh", REFRESH_TOKEN);
            values.put(":refresh", seal(d, REFRESH_TOKEN, tokens.refreshToken()));
        }
        if (tokens.expiresAt() == null) {
            remove.add(TOKEN_EXPIRES_AT);
        } else {
            set.add(TOKEN_EXPIRES_AT + " = :expires");
            values.put(":expires", Attr.s(tokens.expiresAt().toString()));
        }
        return update(d, "SET " + String.join(", ", set) + " REMOVE " + String.join(", ", remove),
                EXISTS + " AND " + LEASE_OWNER + " = :me AND " + isVersion(fromVersion, values), values, names, true)
                .map(item -> grant(d, item));
    }

    @Override
    public boolean markNeedsReauth(DeliveryTarget d, long fromVersion, String reason) {
        Map<String, AttributeValue> values = Attr.values(":st", Attr.s(ConnectionStatus.NEEDS_REAUTH.wireName()),
                ":reason", Attr.s(reason));
        return update(d, "SET #st = :st, " + STATUS_REASON + " = :reason REMOVE " + LEASE_OWNER + ", " + LEASE_UNTIL,
                EXISTS + " AND " + isVersion(fromVersion, values), values, Map.of("#st", STATUS), false).isPresent();
    }

    /** One conditional update; empty when the condition failed, else the new item ({@code returnNew}) or an empty one. */
    private Optional<Map<String, AttributeValue>> update(DeliveryTarget d, String update, String condition,
            Map<String, AttributeValue> values, Map<String, String> names, boolean returnNew) {
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(b -> {
                b.tableName(table()).key(key(d)).updateExpression(update).conditionExpression(condition)
                        .expressionAttributeValues(values)
                        .returnValues(returnNew ? ReturnValue.ALL_NEW : ReturnValue.NONE);
                if (!names.isEmpty()) {
                    b.expressionAttributeNames(names);
                }
            }).attributes();
            return Optional.of(item == null ? Map.of() : item);
        } catch (ConditionalCheckFailedException lost) {
            return Optional.empty();
        }
    }

    private AttributeValue seal(DeliveryTarget d, String configKey, String plaintext) {
        return secrets.seal(Schema.DESTINATIONS, d.targetId(), CONFIG + "." + configKey, plaintext);
    }

    private StoredGrant grant(DeliveryTarget d, Map<String, AttributeValue> item) {
        Map<String, String> config = secrets.openKeys(Attr.strMap(item, CONFIG), TOKEN_KEYS::contains,
                Schema.DESTINATIONS, d.targetId(), CONFIG);
        String access = config.get(ACCESS_TOKEN) != null ? config.get(ACCESS_TOKEN) : config.get(API_TOKEN);
        Long leaseUntil = Attr.numOrNull(item, LEASE_UNTIL);
        return new StoredGrant(access, config.get(REFRESH_TOKEN), Attr.instant(item, TOKEN_EXPIRES_AT),
                ConnectionStore.tokenVersion(item), ConnectionStore.status(item), Attr.str(item, STATUS_REASON),
                Attr.str(item, LEASE_OWNER), leaseUntil == null ? null : Instant.ofEpochMilli(leaseUntil));
    }

    private static Map<String, AttributeValue> key(DeliveryTarget d) {
        return DestinationStore.key(d.targetId());
    }

    private String table() {
        return tables.of(Schema.DESTINATIONS);
    }
}
