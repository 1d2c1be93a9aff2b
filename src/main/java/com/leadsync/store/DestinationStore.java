package com.leadsync.store;

import static com.leadsync.store.ConnectionStore.STATUS;
import static com.leadsync.store.ConnectionStore.STATUS_REASON;
import static com.leadsync.store.ConnectionStore.TOKEN_VERSION;

import com.leadsync.delivery.DestinationConfig;
import com.leadsync.delivery.DestinationRepository;
import com.leadsync.delivery.Destinations;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * CRM destinations per account. Their tokens live in {@code config} ({@code config.accessToken},
 * {@code config.refreshToken}); the credentials component's state is top level: {@code tokenVersion}, {@code status},
 * {@code statusReason}, {@code tokenExpiresAt} and the refresh lease (see {@link DestinationCredentialStore}).
 */
@ApplicationScoped
public class DestinationStore implements DestinationRepository {

    static final String CONFIG = "config";
    private static final String FLOWS_ONLY = "flowsOnly";
    static final String TOKEN_EXPIRES_AT = "tokenExpiresAt";

    private final DynamoDbClient dynamo;
    private final TableNames tables;
    private final StoredSecrets secrets;
    private final Destinations types;
    private final AccountTargetsCache targetsCache;

    DestinationStore(DynamoDbClient dynamo, TableNames tables, StoredSecrets secrets, Destinations types,
            AccountTargetsCache targetsCache) {
        this.targetsCache = targetsCache;
        this.dynamo = dynamo;
        this.tables = tables;
        this.secrets = secrets;
        this.types = types;
    }

    @Override
    public void put(DestinationConfig d) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("destinationId", Attr.s(d.destinationId()));
        item.put("accountId", Attr.s(d.accountId()));
        item.put("type", Attr.s(d.type()));
        Attr.put(item, "name", d.name());
        item.put("enabled", Attr.bool(d.enabled()));
        item.put(CONFIG, Attr.map(sealedConfig(d)));
        item.put("fieldMapping", Attr.map(d.fieldMapping()));
        Attr.put(item, "createdAt", d.createdAt());
        Attr.put(item, "updatedAt", d.updatedAt());
        item.put(TOKEN_VERSION, Attr.n(d.tokenVersion()));
        item.put(STATUS, Attr.s(d.status().wireName()));
        Attr.put(item, STATUS_REASON, d.statusReason());
        Attr.put(item, TOKEN_EXPIRES_AT, d.tokenExpiresAt());
        item.put(FLOWS_ONLY, Attr.bool(d.flowsOnly()));
        targetsCache.after(() -> dynamo.putItem(b -> b.tableName(table()).item(item)));
    }

    @Override
    public boolean update(DestinationConfig d, long readVersion) {
        List<String> set = new ArrayList<>(List.of("enabled = :enabled", "#cfg = :config",
                "fieldMapping = :mapping", FLOWS_ONLY + " = :flowsOnly"));
        List<String> remove = new ArrayList<>();
        Map<String, AttributeValue> values = Attr.values(":enabled", Attr.bool(d.enabled()),
                ":config", Attr.map(sealedConfig(d)), ":mapping", Attr.map(d.fieldMapping()),
                ":flowsOnly", Attr.bool(d.flowsOnly()));
        Map<String, String> names = new HashMap<>(Map.of("#cfg", CONFIG, "#name", "name"));
        setOrRemove(set, remove, values, "#name", ":name", d.name() == null ? null : Attr.s(d.name()));
        setOrRemove(set, remove, values, "updatedAt", ":updated",
                d.updatedAt() == null ? null : Attr.s(d.updatedAt().toString()));
        if (d.tokenVersion() > readVersion) {
            names.put("#st", STATUS);
            set.add(TOKEN_VERSION + " = :nextVersion");
            set.add("#st = :status");
            values.put(":nextVersion", Attr.n(d.tokenVersion()));
            values.put(":status", Attr.s(d.status().wireName()));
            setOrRemove(set, remove, values, STATUS_REASON, ":reason",
                    d.statusReason() == null ? null : Attr.s(d.statusReason()));
            setOrRemove(set, remove, values, TOKEN_EXPIRES_AT, ":expires",
                    d.tokenExpiresAt() == null ? null : Attr.s(d.tokenExpiresAt().toString()));
        }
        String update = "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        String condition = "attribute_exists(destinationId) AND "
                + ConnectionCredentialStore.isVersion(readVersion, values);
        return targetsCache.after(() -> {
            try {
                dynamo.updateItem(b -> b.tableName(table()).key(key(d.destinationId())).updateExpression(update)
                        .conditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values));
                return true;
            } catch (ConditionalCheckFailedException lost) {
                return false;
            }
        });
    }

    private static void setOrRemove(List<String> set, List<String> remove, Map<String, AttributeValue> values,
            String path, String placeholder, AttributeValue value) {
        if (value == null) {
            remove.add(path);
        } else {
            set.add(path + " = " + placeholder);
            values.put(placeholder, value);
        }
    }

    @Override
    public Optional<DestinationConfig> get(String destinationId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table())
                .key(key(destinationId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(read(item));
    }

    @Override
    public List<DestinationConfig> listByAccount(String accountId) {
        return dynamo.queryPaginator(b -> b.tableName(table()).indexName("byAccount")
                        .keyConditionExpression("accountId = :a")
                        .expressionAttributeValues(Map.of(":a", Attr.s(accountId))))
                .items().stream().map(this::read).toList();
    }

    /** How many the account has, counted on the index without reading the items. */
    @Override
    public int countByAccount(String accountId) {
        return dynamo.queryPaginator(b -> b.tableName(table()).indexName("byAccount")
                        .keyConditionExpression("accountId = :a").select(Select.COUNT)
                        .expressionAttributeValues(Map.of(":a", Attr.s(accountId))))
                .stream().mapToInt(QueryResponse::count).sum();
    }

    /** Deletes it; true when this call removed it (so a repeated delete frees no second slot). */
    @Override
    public boolean delete(String destinationId) {
        return targetsCache.after(() -> !dynamo.deleteItem(b -> b.tableName(table())
                .key(key(destinationId)).returnValues(ReturnValue.ALL_OLD)).attributes().isEmpty());
    }

    private Map<String, String> sealedConfig(DestinationConfig d) {
        return secrets.sealKeys(d.config(), secretKeys(d.type()), Schema.DESTINATIONS, d.destinationId(), CONFIG);
    }

    /**
     * The config keys sealed at rest: the type's secrets, and the tokens the credentials component writes into any
     * destination's config ({@link DestinationCredentialStore}).
     */
    private Predicate<String> secretKeys(String type) {
        return types.secretKeys(type)::contains;
    }

    static Map<String, AttributeValue> key(String destinationId) {
        return Map.of("destinationId", Attr.s(destinationId));
    }

    private String table() {
        return tables.of(Schema.DESTINATIONS);
    }

    private DestinationConfig read(Map<String, AttributeValue> item) {
        String id = Attr.str(item, "destinationId");
        String type = Attr.str(item, "type");
        return new DestinationConfig(id, Attr.str(item, "accountId"), type, Attr.str(item, "name"),
                Attr.bool(item, "enabled"),
                secrets.openKeys(Attr.strMap(item, CONFIG), secretKeys(type), Schema.DESTINATIONS, id, CONFIG), Attr.strMap(item, "fieldMapping"), Attr.instant(item, "createdAt"),
                Attr.instant(item, "updatedAt"), ConnectionStore.tokenVersion(item), ConnectionStore.status(item),
                Attr.str(item, STATUS_REASON), Attr.instant(item, TOKEN_EXPIRES_AT),
                Attr.bool(item, FLOWS_ONLY));
    }
}
