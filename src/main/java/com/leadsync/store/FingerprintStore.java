package com.leadsync.store;

import com.leadsync.crypto.Sha256;
import com.leadsync.lead.FingerprintRepository;
import com.leadsync.lead.LeadFingerprint;
import com.leadsync.model.ProviderType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Fingerprints live in the leads table as items of their own, {@code leadId = fp#<sha-256 of account, provider and
 * key>}: they have none of the index attributes ({@code accountShard}, {@code providerShard}, {@code listKey}), so
 * they are in neither listing index, and {@link LeadStore#get} does not read them as leads. One item per key holds
 * the submissions registered under it (in registration order) and a version: a registration reads it, decides, and
 * appends with a write conditional on the version it read, so of two registrations at once one writes and the
 * other reads again and sees it.
 */
@ApplicationScoped
public class FingerprintStore implements FingerprintRepository {

    private static final Logger LOG = Logger.getLogger(FingerprintStore.class);

    static final String KEY_PREFIX = "fp#";
    /** Registrations of one key contend only with submissions of the same click and email: a handful at most. */
    private static final int MAX_ATTEMPTS = 10;
    /**
     * A bound far above any real click (one click, one email, a submission a minute apart each time) that keeps the
     * item far below DynamoDB's 400 KB; past it, new submissions are still checked against the registered ones but
     * no longer registered.
     */
    static final int MAX_SUBMISSIONS = 1000;

    private final DynamoDbClient dynamo;
    private final TableNames tables;

    FingerprintStore(DynamoDbClient dynamo, TableNames tables) {
        this.dynamo = dynamo;
        this.tables = tables;
    }

    @Override
    public String register(String accountId, ProviderType providerType, LeadFingerprint fingerprint, String leadId) {
        String itemKey = itemKey(accountId, providerType, fingerprint.key());
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table())
                    .key(Map.of("leadId", Attr.s(itemKey))).consistentRead(true)).item();
            boolean exists = item != null && !item.isEmpty();
            List<LeadFingerprint.Registered> registered = exists ? registered(item) : List.of();
            String canonical = fingerprint.canonicalLead(leadId, registered);
            if (!canonical.equals(leadId) || registered.stream().anyMatch(r -> r.leadId().equals(leadId))) {
                return canonical;
            }
            if (registered.size() >= MAX_SUBMISSIONS) {
                LOG.warnf("fingerprint %s holds %d submissions: lead %s is not registered under it", itemKey,
                        registered.size(), leadId);
                return leadId;
            }
            List<LeadFingerprint.Registered> next = new ArrayList<>(registered);
            next.add(new LeadFingerprint.Registered(leadId, fingerprint.submittedAt()));
            long version = exists ? Attr.num(item, "version", 0) : 0;
            if (append(itemKey, next, exists, version)) {
                return leadId;
            }
        }
        // Not ConditionFailed (which means "another worker took over"): this message must fail and be retried.
        throw new IllegalStateException("fingerprint " + itemKey + " changed under " + MAX_ATTEMPTS
                + " registrations in a row; lead " + leadId + " is retried later");
    }

    private boolean append(String itemKey, List<LeadFingerprint.Registered> submissions, boolean exists, long version) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("leadId", Attr.s(itemKey));
        item.put("submissions", AttributeValue.fromL(submissions.stream().map(r -> AttributeValue.fromM(Map.of(
                "leadId", Attr.s(r.leadId()), "submittedAt", Attr.n(r.submittedAt().toEpochMilli())))).toList()));
        item.put("version", Attr.n(version + 1));
        try {
            dynamo.putItem(b -> {
                b.tableName(table()).item(item);
                if (exists) {
                    b.conditionExpression("version = :v").expressionAttributeValues(Map.of(":v", Attr.n(version)));
                } else {
                    b.conditionExpression("attribute_not_exists(leadId)");
                }
            });
            return true;
        } catch (ConditionalCheckFailedException raced) {
            return false;
        }
    }

    private static List<LeadFingerprint.Registered> registered(Map<String, AttributeValue> item) {
        AttributeValue list = item.get("submissions");
        if (list == null || !list.hasL()) {
            return List.of();
        }
        return list.l().stream().map(AttributeValue::m).map(m -> new LeadFingerprint.Registered(Attr.str(m, "leadId"),
                Instant.ofEpochMilli(Attr.num(m, "submittedAt", 0)))).toList();
    }

    /** The key material may hold a click id and an email hash: only its digest, scoped, goes into the table. */
    static String itemKey(String accountId, ProviderType providerType, String key) {
        return KEY_PREFIX + Sha256.hex(accountId + '\n' + providerType.wireName() + '\n' + key);
    }

    private String table() {
        return tables.of(Schema.LEADS);
    }
}
