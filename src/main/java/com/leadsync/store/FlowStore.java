package com.leadsync.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.flow.Flow;
import com.leadsync.flow.FlowDocument;
import com.leadsync.flow.FlowRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * Flows: one item per version (sort key {@code version} 1, 2, …), never changed and kept after a delete, and a head
 * item (version 0) holding a copy of the current version, its {@code accountId} and {@code createdAt} (so the
 * sparse {@code byAccount} index lists current flows in creation order, and a read of the current flow is one
 * call). Webhook secrets are sealed per step path, bound to their item.
 */
@ApplicationScoped
public class FlowStore implements FlowRepository {

    private static final long HEAD = 0;
    private static final String SECRETS = "secrets";

    private final DynamoDbClient dynamo;
    private final TableNames tables;
    private final ObjectMapper json;
    private final StoredSecrets secrets;

    FlowStore(DynamoDbClient dynamo, TableNames tables, ObjectMapper json, StoredSecrets secrets) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.json = json;
        this.secrets = secrets;
    }

    private String table() {
        return tables.of(Schema.FLOWS);
    }

    /**
     * The head first, then the version item: without transactions (dynalite has none) a crash can fall between the
     * two, and the head, which holds the whole document, stands in for its version until the next write repairs it.
     * A version item is never written out of turn, so there is no version a head never had.
     */
    @Override
    public void create(Flow flow) {
        Map<String, AttributeValue> head = item(flow, HEAD);
        dynamo.putItem(b -> b.tableName(table()).item(head).conditionExpression("attribute_not_exists(flowId)"));
        putVersion(flow);
    }

    @Override
    public void update(Flow next) {
        Flow current = get(next.flowId()).orElseThrow(() -> new Conflict("the flow was deleted meanwhile"));
        if (current.version() != next.version() - 1) {
            throw new Conflict("it is at version " + current.version() + " now");
        }
        keepVersion(current);
        Map<String, AttributeValue> head = item(next, HEAD);
        try {
            dynamo.putItem(b -> b.tableName(table()).item(head)
                    .conditionExpression("attribute_exists(flowId) AND currentVersion = :n")
                    .expressionAttributeValues(Map.of(":n", Attr.n(current.version()))));
        } catch (ConditionalCheckFailedException e) {
            throw new Conflict("the flow was deleted or changed meanwhile");
        }
        putVersion(next);
    }

    @Override
    public Optional<Flow> get(String flowId) {
        return read(flowId, HEAD);
    }

    @Override
    public Optional<Flow> version(String flowId, long version) {
        if (version < 1) {
            return Optional.empty();
        }
        Optional<Flow> kept = read(flowId, version);
        // Its head was written and the version item not yet (see create): the head holds that version.
        return kept.isPresent() ? kept : get(flowId).filter(f -> f.version() == version);
    }

    @Override
    public List<Flow> listByAccount(String accountId) {
        return dynamo.queryPaginator(b -> b.tableName(table()).indexName("byAccount")
                        .keyConditionExpression("accountId = :a")
                        .expressionAttributeValues(Map.of(":a", Attr.s(accountId))))
                .items().stream().map(this::flow).toList();
    }

    @Override
    public int countByAccount(String accountId) {
        return dynamo.queryPaginator(b -> b.tableName(table()).indexName("byAccount")
                        .keyConditionExpression("accountId = :a").select(Select.COUNT)
                        .expressionAttributeValues(Map.of(":a", Attr.s(accountId))))
                .stream().mapToInt(QueryResponse::count).sum();
    }

    @Override
    public boolean delete(String flowId) {
        get(flowId).ifPresent(this::keepVersion);
        return !dynamo.deleteItem(b -> b.tableName(table()).key(key(flowId, HEAD)).returnValues(ReturnValue.ALL_OLD))
                .attributes().isEmpty();
    }

    /** The version item of {@code flow}: its content is the head's, so writing it again changes nothing. */
    private void putVersion(Flow flow) {
        Map<String, AttributeValue> item = item(flow, flow.version());
        dynamo.putItem(b -> b.tableName(table()).item(item));
    }

    /** Before the head moves on (or goes): its version kept, should an earlier write have stopped short of it. */
    private void keepVersion(Flow current) {
        Map<String, AttributeValue> item = item(current, current.version());
        try {
            dynamo.putItem(b -> b.tableName(table()).item(item).conditionExpression("attribute_not_exists(flowId)"));
        } catch (ConditionalCheckFailedException kept) {
            // The usual case: it was written right after its head.
        }
    }

    private static Map<String, AttributeValue> key(String flowId, long version) {
        return Map.of("flowId", Attr.s(flowId), "version", Attr.n(version));
    }

    private static String itemKey(String flowId, long version) {
        return flowId + "#" + version;
    }

    private Map<String, AttributeValue> item(Flow flow, long version) {
        Map<String, AttributeValue> item = new HashMap<>(key(flow.flowId(), version));
        item.put("owner", Attr.s(flow.accountId()));
        if (version == HEAD) {
            // Only the head is in the account's index: versions are not flows of their own.
            item.put("accountId", Attr.s(flow.accountId()));
            item.put("currentVersion", Attr.n(flow.version()));
        }
        try {
            item.put("doc", Attr.s(json.writeValueAsString(FlowDocument.toJson(flow))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> byPath = FlowDocument.secretsByPath(flow.steps());
        if (!byPath.isEmpty()) {
            item.put(SECRETS, Attr.map(secrets.sealKeys(byPath, k -> true, Schema.FLOWS,
                    itemKey(flow.flowId(), version), SECRETS)));
        }
        Attr.put(item, "createdAt", flow.createdAt());
        Attr.put(item, "updatedAt", flow.updatedAt());
        return item;
    }

    private Optional<Flow> read(String flowId, long version) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table()).key(key(flowId, version))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(flow(item));
    }

    private Flow flow(Map<String, AttributeValue> item) {
        String flowId = Attr.str(item, "flowId");
        long stored = Attr.num(item, "version", HEAD);
        JsonNode doc;
        try {
            doc = json.readTree(Attr.str(item, "doc"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored flow " + flowId + " is unreadable", e);
        }
        Map<String, String> byPath = item.containsKey(SECRETS) ? secrets.openKeys(Attr.strMap(item, SECRETS),
                k -> true, Schema.FLOWS, itemKey(flowId, stored), SECRETS) : Map.of();
        FlowDocument.Parsed parsed = FlowDocument.parseStored(doc);
        return new Flow(flowId, Attr.str(item, "owner"), parsed.name(), parsed.enabled(), parsed.trigger(),
                FlowDocument.withSecrets(parsed.steps(), byPath), doc.path("version").asLong(),
                Attr.instant(item, "createdAt"), Attr.instant(item, "updatedAt"));
    }
}
