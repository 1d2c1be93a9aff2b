package com.leadsync.store;

import com.leadsync.delivery.CrmLinks;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link CrmLinks} in one item per key ({@code linkKey}): {@code owner} and {@code leaseUntil} (epoch ms) while a
 * caller creates the record, {@code crmId} once it is known, {@code firstClaimAt} (epoch ms) from the first claim on. Every change is a conditional write, so of callers
 * racing for a key exactly one holds it at a time and the first id recorded is the one kept.
 */
@ApplicationScoped
public class CrmLinkStore implements CrmLinks {

    /** Enough rounds for a claim that keeps being taken over under our feet; each round is one read. */
    private static final int ROUNDS = 5;

    private final DynamoDbClient dynamo;
    private final TableNames tables;

    CrmLinkStore(DynamoDbClient dynamo, TableNames tables) {
        this.dynamo = dynamo;
        this.tables = tables;
    }

    private String table() {
        return tables.of(Schema.CRM_LINKS);
    }

    private static Map<String, AttributeValue> key(String linkKey) {
        return Map.of("linkKey", Attr.s(linkKey));
    }

    @Override
    public Claim claim(String linkKey, String owner, Instant now, Duration lease) {
        long until = now.plus(lease).toEpochMilli();
        try {
            dynamo.putItem(b -> b.tableName(table())
                    .item(Map.of("linkKey", Attr.s(linkKey), "owner", Attr.s(owner), "leaseUntil", Attr.n(until),
                            "firstClaimAt", Attr.n(now.toEpochMilli())))
                    .conditionExpression("attribute_not_exists(linkKey)"));
            return new Taken(false);
        } catch (ConditionalCheckFailedException exists) {
            // read below
        }
        for (int round = 0; round < ROUNDS; round++) {
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table()).key(key(linkKey))
                    .consistentRead(true)).item();
            if (item == null || item.isEmpty()) {
                // Items are never deleted; should one be removed by hand, start over as the first claim.
                return claim(linkKey, owner, now, lease);
            }
            String crmId = Attr.str(item, "crmId");
            if (crmId != null) {
                return new Linked(crmId);
            }
            String holder = Attr.str(item, "owner");
            long heldUntil = Attr.num(item, "leaseUntil", 0);
            if (heldUntil > now.toEpochMilli()) {
                return new Held(holder, Instant.ofEpochMilli(heldUntil));
            }
            try {
                // Taken over only from the holder just read, so two callers cannot both take over one lapse.
                dynamo.updateItem(b -> b.tableName(table()).key(key(linkKey))
                        .updateExpression("SET #o = :me, leaseUntil = :until")
                        .conditionExpression("attribute_not_exists(crmId) AND #o = :was AND leaseUntil = :wasUntil")
                        .expressionAttributeNames(Map.of("#o", "owner"))
                        .expressionAttributeValues(Attr.values(":me", Attr.s(owner), ":until", Attr.n(until),
                                ":was", Attr.s(holder), ":wasUntil", Attr.n(heldUntil))));
                long first = Attr.num(item, "firstClaimAt", -1);
                return new Taken(true, first < 0 ? null : Instant.ofEpochMilli(first));
            } catch (ConditionalCheckFailedException raced) {
                // someone linked it or took it over first: read again
            }
        }
        Map<String, AttributeValue> last = dynamo.getItem(b -> b.tableName(table()).key(key(linkKey))
                .consistentRead(true)).item();
        return new Held(Attr.str(last, "owner"), Instant.ofEpochMilli(Attr.num(last, "leaseUntil", 0)));
    }

    @Override
    public String link(String linkKey, String crmId) {
        try {
            dynamo.updateItem(b -> b.tableName(table()).key(key(linkKey))
                    .updateExpression("SET crmId = :id REMOVE leaseUntil")
                    .conditionExpression("attribute_not_exists(crmId)")
                    .expressionAttributeValues(Map.of(":id", Attr.s(crmId))));
            return crmId;
        } catch (ConditionalCheckFailedException alreadyLinked) {
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table()).key(key(linkKey))
                    .consistentRead(true)).item();
            return Attr.str(item, "crmId");
        }
    }

    @Override
    public void release(String linkKey, String owner) {
        try {
            dynamo.updateItem(b -> b.tableName(table()).key(key(linkKey))
                    .updateExpression("SET leaseUntil = :zero")
                    .conditionExpression("attribute_not_exists(crmId) AND #o = :me")
                    .expressionAttributeNames(Map.of("#o", "owner"))
                    .expressionAttributeValues(Map.of(":zero", Attr.n(0), ":me", Attr.s(owner))));
        } catch (ConditionalCheckFailedException notOurs) {
            // linked meanwhile, or taken over after our lease ran out: nothing of ours to give up
        }
    }
}
