package com.leadsync.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.flow.FlowRun;
import com.leadsync.flow.FlowRunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Flow runs, one item per (lead, flow): the conditional put is what makes a flow run once per lead. The run itself is
 * one JSON attribute (its steps, actions and lead copy are read whole, never queried); {@code runKey} (ran-at millis,
 * zero-padded, then the lead id) orders the {@code byFlow} index.
 */
@ApplicationScoped
public class FlowRunStore implements FlowRunRepository {

    private static final String BY_FLOW = "byFlow";

    private final DynamoDbClient dynamo;
    private final TableNames tables;
    private final ObjectMapper json;
    private final Cursor cursors;

    FlowRunStore(DynamoDbClient dynamo, TableNames tables, ObjectMapper json, Cursor cursors) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.json = json;
        this.cursors = cursors;
    }

    private String table() {
        return tables.of(Schema.FLOW_RUNS);
    }

    @Override
    public FlowRun putIfAbsent(FlowRun run) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("leadId", Attr.s(run.leadId()));
        item.put("flowId", Attr.s(run.flowId()));
        item.put("runKey", Attr.s(String.format("%015d", run.ranAt().toEpochMilli()) + "#" + run.leadId()));
        try {
            item.put("run", Attr.s(json.writeValueAsString(run)));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("flow run of " + run.leadId() + " is not JSON-writable", e);
        }
        try {
            dynamo.putItem(b -> b.tableName(table()).item(item).conditionExpression("attribute_not_exists(leadId)")
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return run;
        } catch (ConditionalCheckFailedException recorded) {
            if (recorded.hasItem() && !recorded.item().isEmpty()) {
                return read(recorded.item());
            }
            return read(dynamo.getItem(b -> b.tableName(table()).consistentRead(true)
                    .key(Map.of("leadId", Attr.s(run.leadId()), "flowId", Attr.s(run.flowId())))).item());
        }
    }

    @Override
    public List<FlowRun> forLead(String leadId) {
        return dynamo.queryPaginator(b -> b.tableName(table()).keyConditionExpression("leadId = :l")
                .consistentRead(true).expressionAttributeValues(Map.of(":l", Attr.s(leadId))))
                .items().stream().map(this::read).toList();
    }

    @Override
    public Page listForFlow(String flowId, int limit, String cursor) {
        List<String> scope = List.of("flow-runs", flowId);
        Map<String, AttributeValue> start = null;
        if (cursor != null && !cursor.isBlank()) {
            Map<String, String> position = cursors.decode(scope, cursor);
            String runKey = position.get("runKey");
            String leadId = position.get("leadId");
            if (position.size() != 2 || runKey == null || leadId == null) {
                throw new IllegalArgumentException("cursor is not valid for this listing");
            }
            start = Map.of("leadId", Attr.s(leadId), "flowId", Attr.s(flowId), "runKey", Attr.s(runKey));
        }
        List<FlowRun> items = new ArrayList<>();
        String next = null;
        boolean more;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse r = dynamo.query(QueryRequest.builder().tableName(table()).indexName(BY_FLOW)
                    .keyConditionExpression("flowId = :f").expressionAttributeValues(Map.of(":f", Attr.s(flowId)))
                    .scanIndexForward(false).limit(limit - items.size()).exclusiveStartKey(from).build());
            Map<String, AttributeValue> last = null;
            for (Map<String, AttributeValue> item : r.items()) {
                items.add(read(item));
                last = item;
            }
            more = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty();
            start = more ? r.lastEvaluatedKey() : null;
            if (last != null) {
                next = cursors.encode(scope, Map.of("runKey", Attr.str(last, "runKey"), "leadId",
                        Attr.str(last, "leadId")));
            }
        } while (more && items.size() < limit);
        return new Page(items, more ? next : null);
    }

    private FlowRun read(Map<String, AttributeValue> item) {
        try {
            return json.readValue(Attr.str(item, "run"), FlowRun.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored flow run of " + Attr.str(item, "leadId") + " is unreadable", e);
        }
    }
}
