package com.leadsync.store;

import com.leadsync.lead.LeadIdentity;
import com.leadsync.lead.LeadStatus;
import com.leadsync.lead.ProviderType;
import com.leadsync.lead.StoredLead;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Lead items and their forward-only status. Every state change is a single-item conditional write
 * (the local emulator has no transactions): a claim on the identity-derived leadId, then updates that
 * only the current lease holder may make.
 */
@ApplicationScoped
public class LeadStore {

    private final DynamoDbClient dynamo;
    private final TableNames tables;

    LeadStore(DynamoDbClient dynamo, TableNames tables) {
        this.dynamo = dynamo;
        this.tables = tables;
    }

    private String table() {
        return tables.of(Schema.LEADS);
    }

    public Optional<LeadRecord> get(String leadId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table())
                .key(Map.of("leadId", Attr.s(leadId))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(read(item));
    }

    /** Claims a new identity with a lease for {@code owner}; false when the lead already exists. */
    public boolean claim(LeadIdentity identity, String owner, long leaseUntil, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("leadId", Attr.s(identity.leadId()));
        item.put("accountId", Attr.s(identity.accountId()));
        item.put("providerType", Attr.s(identity.providerType().wireName()));
        item.put("providerLeadId", Attr.s(identity.providerLeadId()));
        item.put("status", Attr.s(LeadStatus.RECEIVED.name()));
        item.put("leaseOwner", Attr.s(owner));
        item.put("leaseUntil", Attr.n(leaseUntil));
        item.put("firstSeenAt", Attr.s(now.toString()));
        try {
            dynamo.putItem(b -> b.tableName(table()).item(item).conditionExpression("attribute_not_exists(leadId)"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Takes over an unfinished lead: allowed when nobody holds a live lease (or {@code owner} already
     * does, as a redelivered message). False when another worker holds it or it is already dispatched.
     */
    public boolean takeLease(String leadId, String owner, long nowMillis, long leaseUntil) {
        try {
            dynamo.updateItem(b -> b.tableName(table()).key(Map.of("leadId", Attr.s(leadId)))
                    .updateExpression("SET leaseOwner = :me, leaseUntil = :until")
                    .conditionExpression("attribute_exists(leadId) AND #st <> :done AND "
                            + "(attribute_not_exists(leaseOwner) OR leaseOwner = :me OR leaseUntil < :now)")
                    .expressionAttributeNames(Map.of("#st", "status"))
                    .expressionAttributeValues(Attr.values(":me", Attr.s(owner), ":until", Attr.n(leaseUntil),
                            ":now", Attr.n(nowMillis), ":done", Attr.s(LeadStatus.DISPATCHED.name()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** RECEIVED → STORED with the normalized lead; only the lease holder may. */
    public void store(String owner, StoredLead lead) {
        Map<String, AttributeValue> v = new HashMap<>();
        List<String> sets = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        setField(sets, names, v, "email", lead.email());
        setField(sets, names, v, "firstName", lead.firstName());
        setField(sets, names, v, "lastName", lead.lastName());
        setField(sets, names, v, "fullName", lead.fullName());
        setField(sets, names, v, "phoneNumber", lead.phoneNumber());
        setField(sets, names, v, "company", lead.company());
        setField(sets, names, v, "formId", lead.formId());
        setField(sets, names, v, "adId", lead.adId());
        setField(sets, names, v, "campaignId", lead.campaignId());
        setField(sets, names, v, "receivedAt", lead.receivedAt().toString());
        setField(sets, names, v, "storedAt", lead.storedAt().toString());
        setField(sets, names, v, "listKey", sortable(lead.receivedAt()) + "#" + lead.leadId());
        names.put("#rawFieldData", "rawFieldData");
        v.put(":rawFieldData", Attr.map(lead.rawFieldData()));
        sets.add("#rawFieldData = :rawFieldData");
        names.put("#customFields", "customFields");
        v.put(":customFields", Attr.map(lead.customFields()));
        sets.add("#customFields = :customFields");
        names.put("#isTest", "isTest");
        v.put(":isTest", Attr.bool(lead.isTest()));
        sets.add("#isTest = :isTest");
        names.put("#st", "status");
        v.put(":stored", Attr.s(LeadStatus.STORED.name()));
        v.put(":received", Attr.s(LeadStatus.RECEIVED.name()));
        v.put(":me", Attr.s(owner));
        sets.add("#st = :stored");
        String update = "SET " + String.join(", ", sets) + " REMOVE lastError";
        conditional(b -> b.tableName(table()).key(Map.of("leadId", Attr.s(lead.leadId())))
                .updateExpression(update)
                .conditionExpression("leaseOwner = :me AND #st = :received")
                .expressionAttributeNames(names).expressionAttributeValues(v), "store " + lead.leadId());
    }

    private static void setField(List<String> sets, Map<String, String> names, Map<String, AttributeValue> values,
            String field, String value) {
        if (value == null) {
            return;
        }
        names.put("#" + field, field);
        values.put(":" + field, Attr.s(value));
        sets.add("#" + field + " = :" + field);
    }

    /** STORED → DISPATCHED, releasing the lease; only the lease holder may. */
    public void markDispatched(String leadId, String owner) {
        conditional(b -> b.tableName(table()).key(Map.of("leadId", Attr.s(leadId)))
                .updateExpression("SET #st = :done REMOVE leaseOwner, leaseUntil")
                .conditionExpression("leaseOwner = :me AND #st = :stored")
                .expressionAttributeNames(Map.of("#st", "status"))
                .expressionAttributeValues(Attr.values(":me", Attr.s(owner),
                        ":done", Attr.s(LeadStatus.DISPATCHED.name()),
                        ":stored", Attr.s(LeadStatus.STORED.name()))), "dispatch " + leadId);
    }

    /** Releases the lease after a failed step so the retry need not wait for it to expire. */
    public void releaseWithError(String leadId, String owner, String error) {
        try {
            dynamo.updateItem(b -> b.tableName(table()).key(Map.of("leadId", Attr.s(leadId)))
                    .updateExpression("SET lastError = :err REMOVE leaseOwner, leaseUntil")
                    .conditionExpression("leaseOwner = :me")
                    .expressionAttributeValues(Attr.values(":me", Attr.s(owner), ":err", Attr.s(error))));
        } catch (ConditionalCheckFailedException ignored) {
            // Someone else holds it now; their run decides.
        }
    }

    public void countDuplicate(String leadId) {
        dynamo.updateItem(b -> b.tableName(table()).key(Map.of("leadId", Attr.s(leadId)))
                .updateExpression("ADD duplicates :one")
                .conditionExpression("attribute_exists(leadId)")
                .expressionAttributeValues(Map.of(":one", Attr.n(1))));
    }

    public record Page(List<StoredLead> items, String nextCursor) {
    }

    /**
     * An account's stored leads, newest {@code receivedAt} first. {@code since}/{@code until} bound the
     * key range; a provider filter is applied after the read, so a page is refilled until full or done.
     */
    public Page list(String accountId, int limit, String cursor, ProviderType provider, Instant since, Instant until) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":a", Attr.s(accountId));
        String keyCondition = "accountId = :a";
        if (since != null && until != null) {
            keyCondition += " AND listKey BETWEEN :since AND :until";
            values.put(":since", Attr.s(sortable(since)));
            values.put(":until", Attr.s(sortable(until) + "#\uffff"));
        } else if (since != null) {
            keyCondition += " AND listKey >= :since";
            values.put(":since", Attr.s(sortable(since)));
        } else if (until != null) {
            keyCondition += " AND listKey <= :until";
            values.put(":until", Attr.s(sortable(until) + "#\uffff"));
        }
        Map<String, String> names = new HashMap<>();
        String filter = null;
        if (provider != null) {
            filter = "providerType = :p";
            values.put(":p", Attr.s(provider.wireName()));
        }
        List<StoredLead> items = new ArrayList<>();
        Map<String, AttributeValue> start = Cursor.decode(cursor);
        if (start != null) {
            checkCursor(start, accountId, since, until);
        }
        String kc = keyCondition;
        String f = filter;
        while (true) {
            Map<String, AttributeValue> from = start;
            int want = limit - items.size();
            QueryResponse r = dynamo.query(QueryRequest.builder().tableName(table()).indexName("byAccount")
                    .keyConditionExpression(kc).filterExpression(f)
                    .expressionAttributeValues(values).expressionAttributeNames(names.isEmpty() ? null : names)
                    .scanIndexForward(false).limit(want).exclusiveStartKey(from).build());
            r.items().forEach(i -> items.add(read(i).lead()));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
            if (start == null || items.size() >= limit) {
                break;
            }
        }
        return new Page(items, Cursor.encode(start));
    }

    /** A cursor must be a key of this account's listing inside the requested window, or DynamoDB refuses it. */
    private static void checkCursor(Map<String, AttributeValue> key, String accountId, Instant since, Instant until) {
        String listKey = Attr.str(key, "listKey");
        boolean valid = key.keySet().equals(java.util.Set.of("leadId", "accountId", "listKey"))
                && accountId.equals(Attr.str(key, "accountId")) && listKey != null
                && (since == null || listKey.compareTo(sortable(since)) >= 0)
                && (until == null || listKey.compareTo(sortable(until) + "#\uffff") <= 0);
        if (!valid) {
            throw new IllegalArgumentException("cursor is not valid for this listing");
        }
    }

    private void conditional(java.util.function.Consumer<software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest.Builder> req,
            String what) {
        try {
            dynamo.updateItem(req);
        } catch (ConditionalCheckFailedException e) {
            throw new ConditionFailed("lost the lease or state changed during " + what);
        }
    }

    private static final java.time.format.DateTimeFormatter SORTABLE =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    /** Fixed-width UTC timestamps, so that string order is time order in the index. */
    static String sortable(Instant t) {
        return SORTABLE.format(t);
    }

    static LeadRecord read(Map<String, AttributeValue> item) {
        LeadStatus status = LeadStatus.valueOf(Attr.str(item, "status"));
        StoredLead lead = null;
        if (status != LeadStatus.RECEIVED && item.containsKey("receivedAt")) {
            lead = new StoredLead(Attr.str(item, "leadId"), Attr.str(item, "accountId"),
                    ProviderType.fromWire(Attr.str(item, "providerType")).orElseThrow(),
                    Attr.str(item, "providerLeadId"), Attr.str(item, "email"), Attr.str(item, "firstName"),
                    Attr.str(item, "lastName"), Attr.str(item, "fullName"), Attr.str(item, "phoneNumber"),
                    Attr.str(item, "company"), Attr.strMap(item, "rawFieldData"),
                    Attr.strMap(item, "customFields"), Attr.instant(item, "receivedAt"), Attr.str(item, "formId"),
                    Attr.str(item, "adId"), Attr.str(item, "campaignId"), Attr.bool(item, "isTest"),
                    Attr.instant(item, "storedAt"));
        }
        return new LeadRecord(Attr.str(item, "leadId"), Attr.str(item, "accountId"), status,
                Attr.str(item, "leaseOwner"), Attr.num(item, "leaseUntil", 0), Attr.num(item, "duplicates", 0),
                Attr.str(item, "lastError"), lead);
    }
}
