package com.leadsync.store;

import com.leadsync.connect.oauth.OAuthStateRepository;
import com.leadsync.connect.oauth.PendingState;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * {@link OAuthStateRepository} in one item per nonce: {@code accountId}, {@code type}, {@code codeVerifier} (sealed),
 * {@code validUntil} (epoch ms, checked by the consuming delete) and {@code expiresAt} (epoch s, the TTL that removes
 * the ones never used). Consuming is a conditional delete returning the item, so a state opens one callback only.
 */
@ApplicationScoped
public class OAuthStateStore implements OAuthStateRepository {

    private static final String CODE_VERIFIER = "codeVerifier";

    private final DynamoDbClient dynamo;
    private final TableNames tables;
    private final StoredSecrets secrets;

    OAuthStateStore(DynamoDbClient dynamo, TableNames tables, StoredSecrets secrets) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.secrets = secrets;
    }

    private String table() {
        return tables.of(Schema.OAUTH_STATES);
    }

    @Override
    public void save(PendingState state) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("nonce", Attr.s(state.nonce()));
        item.put("accountId", Attr.s(state.accountId()));
        item.put("type", Attr.s(state.type()));
        secrets.put(item, Schema.OAUTH_STATES, state.nonce(), CODE_VERIFIER, state.codeVerifier());
        item.put("validUntil", Attr.n(state.expiresAt().toEpochMilli()));
        // The TTL sweeps within days, not at once: validUntil is what decides.
        item.put("expiresAt", Attr.n(state.expiresAt().getEpochSecond() + 3600));
        dynamo.putItem(b -> b.tableName(table()).item(item).conditionExpression("attribute_not_exists(nonce)"));
    }

    @Override
    public Optional<PendingState> consume(String nonce, Instant now) {
        if (nonce == null || nonce.isEmpty() || nonce.length() > 128) {
            return Optional.empty();
        }
        try {
            Map<String, AttributeValue> old = dynamo.deleteItem(b -> b.tableName(table())
                    .key(Map.of("nonce", Attr.s(nonce)))
                    .conditionExpression("attribute_exists(nonce) AND validUntil > :now")
                    .expressionAttributeValues(Map.of(":now", Attr.n(now.toEpochMilli())))
                    .returnValues(ReturnValue.ALL_OLD)).attributes();
            return Optional.of(new PendingState(nonce, Attr.str(old, "accountId"), Attr.str(old, "type"),
                    secrets.open(old, Schema.OAUTH_STATES, nonce, CODE_VERIFIER),
                    Instant.ofEpochMilli(Attr.num(old, "validUntil", 0))));
        } catch (ConditionalCheckFailedException usedOrExpired) {
            return Optional.empty();
        }
    }
}
