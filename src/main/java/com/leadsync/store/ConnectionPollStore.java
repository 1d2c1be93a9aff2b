package com.leadsync.store;

import com.leadsync.model.Connection;
import com.leadsync.model.ConnectionStatus;
import com.leadsync.model.ProviderType;
import com.leadsync.poll.PollCandidate;
import com.leadsync.poll.PollState;
import com.leadsync.poll.PollStates;
import com.leadsync.poll.PollStatus;
import com.leadsync.walk.LostLease;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The poll state on the connections table's items (see {@link PollStates}). Attributes: {@code pollLeaseOwner},
 * {@code pollLeaseUntil} (epoch ms); the walk {@code pollWalkId}, {@code pollWalkSince}, {@code pollWalkUntil},
 * {@code pollWalkPosition}, {@code pollWalkLeads}, {@code pollWalkFailures} (transient failures in a row, absent
 * when none), {@code pollWalkThrottles} (rate-limit deferrals in a row, absent when none); {@code pollWatermark};
 * {@code pollDeferredUntil} (epoch ms);
 * and the contract's {@code lastPolledAt}, {@code lastPollStatus}, {@code lastPollError}, {@code lastPollLeads}.
 * The connection's {@code status} (with {@code statusReason}) is written only between {@code active} and
 * {@code error} ({@link #markError}, {@link #clearError}); {@code needs_reauth} is the credentials component's.
 * A walk is in progress exactly while {@code pollWalkId} exists.
 */
@ApplicationScoped
public class ConnectionPollStore implements PollStates {

    /** A stored error is a sentence for the API, never a whole provider body. */
    static final int MAX_ERROR = 500;

    private static final String THIS_CONNECTION = "connectionId = :cid";
    private static final String HELD = THIS_CONNECTION + " AND pollLeaseOwner = :owner";
    private static final String WALK_ATTRIBUTES = "pollWalkId, pollWalkSince, pollWalkUntil, pollWalkPosition,"
            + " pollWalkFailures, pollWalkThrottles";
    private static final String LEASE_ATTRIBUTES = "pollLeaseOwner, pollLeaseUntil";

    private final DynamoDbClient dynamo;
    private final TableNames tables;
    private final ConnectionStore connections;

    ConnectionPollStore(DynamoDbClient dynamo, TableNames tables, ConnectionStore connections) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.connections = connections;
    }

    @Override
    public Optional<Connection> connection(ProviderType type, String externalId) {
        return connections.findByRoute(type, externalId);
    }

    @Override
    public Optional<PollState> read(String routeKey) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table())
                .key(Map.of("routeKey", Attr.s(routeKey))).consistentRead(true)).item();
        if (item == null || item.isEmpty() || !item.containsKey("providerType")) {
            return Optional.empty();
        }
        String walkId = Attr.str(item, "pollWalkId");
        PollState.Walk walk = walkId == null ? null : new PollState.Walk(walkId, Attr.instant(item, "pollWalkSince"),
                Attr.instant(item, "pollWalkUntil"), Attr.str(item, "pollWalkPosition"),
                Attr.num(item, "pollWalkLeads", 0));
        return Optional.of(new PollState(Attr.str(item, "connectionId"), Attr.str(item, ConnectionStore.STATUS),
                ConnectionStore.tokenVersion(item), Attr.str(item, "pollLeaseOwner"), millis(item, "pollLeaseUntil"), walk,
                Attr.instant(item, "pollWatermark"), millis(item, "pollDeferredUntil"),
                (int) Attr.num(item, "pollWalkFailures", 0), (int) Attr.num(item, "pollWalkThrottles", 0),
                status(item)));
    }

    @Override
    public Map<String, PollStatus> statusByAccount(String accountId) {
        Map<String, PollStatus> out = new LinkedHashMap<>();
        dynamo.queryPaginator(b -> b.tableName(table()).indexName("byAccount")
                        .keyConditionExpression("accountId = :a")
                        .projectionExpression("connectionId, lastPolledAt, lastPollStatus, lastPollError, lastPollLeads")
                        .expressionAttributeValues(Map.of(":a", Attr.s(accountId))))
                .items().forEach(item -> out.put(Attr.str(item, "connectionId"), status(item)));
        return out;
    }

    @Override
    public boolean takeLease(String routeKey, String connectionId, String owner, Instant now, Instant until) {
        try {
            update(routeKey, "SET pollLeaseOwner = :owner, pollLeaseUntil = :until",
                    THIS_CONNECTION + " AND (attribute_not_exists(pollLeaseOwner) OR pollLeaseUntil < :now)",
                    Attr.values(":cid", Attr.s(connectionId), ":owner", Attr.s(owner), ":until",
                            Attr.n(until.toEpochMilli()), ":now", Attr.n(now.toEpochMilli())));
            return true;
        } catch (ConditionalCheckFailedException held) {
            return false;
        }
    }

    @Override
    public void startWalk(String routeKey, String connectionId, String owner, PollState.Walk walk) {
        held(routeKey, "SET pollWalkId = :walk, pollWalkSince = :since, pollWalkUntil = :until, pollWalkLeads = :zero"
                        + " REMOVE pollWalkPosition, pollWalkFailures, pollWalkThrottles",
                HELD + " AND attribute_not_exists(pollWalkId)",
                Attr.values(":cid", Attr.s(connectionId), ":owner", Attr.s(owner), ":walk", Attr.s(walk.id()),
                        ":since", Attr.s(walk.since().toString()), ":until", Attr.s(walk.until().toString()),
                        ":zero", Attr.n(0)), "start a walk");
    }

    @Override
    public void recordPage(String routeKey, String connectionId, String owner, String walkId, String nextPosition,
            int leads, Instant leaseUntil) {
        held(routeKey, "SET pollWalkPosition = :pos, pollWalkLeads = pollWalkLeads + :n, pollLeaseUntil = :until"
                        + " REMOVE pollWalkFailures, pollWalkThrottles", HELD + " AND pollWalkId = :walk",
                Attr.values(":cid", Attr.s(connectionId), ":owner", Attr.s(owner), ":walk", Attr.s(walkId),
                        ":pos", Attr.s(nextPosition), ":n", Attr.n(leads), ":until", Attr.n(leaseUntil.toEpochMilli())),
                "record a page");
    }

    @Override
    public void complete(String routeKey, String connectionId, String owner, String walkId, int leads,
            Instant watermark, Instant now) {
        // pollWalkLeads stays (a new walk resets it): it is read here, and a path may not be read and removed at once.
        held(routeKey, "SET pollWatermark = :watermark, lastPolledAt = :now, lastPollStatus = :ok,"
                        + " lastPollLeads = pollWalkLeads + :n REMOVE " + WALK_ATTRIBUTES + ", " + LEASE_ATTRIBUTES
                        + ", pollDeferredUntil, lastPollError", HELD + " AND pollWalkId = :walk",
                Attr.values(":cid", Attr.s(connectionId), ":owner", Attr.s(owner), ":walk", Attr.s(walkId),
                        ":watermark", Attr.s(watermark.toString()), ":now", Attr.s(now.toString()),
                        ":ok", Attr.s(PollStatus.OK), ":n", Attr.n(leads)), "complete the walk");
    }

    @Override
    public void fail(String routeKey, String connectionId, String owner, String error, Instant now) {
        held(routeKey, "SET lastPolledAt = :now, lastPollStatus = :failed, lastPollError = :error,"
                        + " lastPollLeads = if_not_exists(pollWalkLeads, :zero) REMOVE " + WALK_ATTRIBUTES + ", "
                        + LEASE_ATTRIBUTES + ", pollDeferredUntil", HELD,
                Attr.values(":cid", Attr.s(connectionId), ":owner", Attr.s(owner), ":now", Attr.s(now.toString()),
                        ":failed", Attr.s(PollStatus.FAILED), ":zero", Attr.n(0), ":error",
                        Attr.s(sentence(error, "the poll failed"))), "record the failure");
    }

    @Override
    public boolean markError(String routeKey, String connectionId, long tokenVersion, String reason) {
        Map<String, AttributeValue> values = Attr.values(":cid", Attr.s(connectionId),
                ":error", Attr.s(ConnectionStatus.ERROR.wireName()),
                ":reauth", Attr.s(ConnectionStatus.NEEDS_REAUTH.wireName()),
                ":reason", Attr.s(sentence(reason, "the last poll failed")));
        try {
            update(routeKey, "SET #st = :error, " + ConnectionStore.STATUS_REASON + " = :reason",
                    THIS_CONNECTION + " AND (attribute_not_exists(#st) OR #st <> :reauth) AND "
                            + ConnectionCredentialStore.isVersion(tokenVersion, values), values);
            return true;
        } catch (ConditionalCheckFailedException newer) {
            return false;
        }
    }

    @Override
    public void clearError(String routeKey, String connectionId) {
        try {
            update(routeKey, "SET #st = :active REMOVE " + ConnectionStore.STATUS_REASON,
                    THIS_CONNECTION + " AND #st = :error", Attr.values(":cid", Attr.s(connectionId),
                            ":active", Attr.s(ConnectionStatus.ACTIVE.wireName()),
                            ":error", Attr.s(ConnectionStatus.ERROR.wireName())));
        } catch (ConditionalCheckFailedException notInError) {
            // Fixed meanwhile (new tokens), or a dead grant found since: that status stands.
        }
    }

    @Override
    public void defer(String routeKey, String connectionId, String owner, Instant until) {
        held(routeKey, "SET pollDeferredUntil = :until REMOVE " + LEASE_ATTRIBUTES,
                HELD + " AND attribute_exists(pollWalkId)",
                Attr.values(":cid", Attr.s(connectionId), ":owner", Attr.s(owner), ":until",
                        Attr.n(until.toEpochMilli())), "defer the walk");
    }

    @Override
    public void retryLater(String routeKey, String connectionId, String owner, Instant until, int failures) {
        held(routeKey, "SET pollDeferredUntil = :until, pollWalkFailures = :failures REMOVE " + LEASE_ATTRIBUTES,
                HELD + " AND attribute_exists(pollWalkId)",
                Attr.values(":cid", Attr.s(connectionId), ":owner", Attr.s(owner), ":until",
                        Attr.n(until.toEpochMilli()), ":failures", Attr.n(failures)), "defer the failed walk");
    }

    @Override
    public void throttle(String routeKey, String connectionId, String owner, Instant until, int throttles) {
        held(routeKey, "SET pollDeferredUntil = :until, pollWalkThrottles = :throttles REMOVE " + LEASE_ATTRIBUTES,
                HELD + " AND attribute_exists(pollWalkId)",
                Attr.values(":cid", Attr.s(connectionId), ":owner", Attr.s(owner), ":until",
                        Attr.n(until.toEpochMilli()), ":throttles", Attr.n(throttles)), "defer the rate-limited walk");
    }

    @Override
    public void release(String routeKey, String connectionId, String owner) {
        try {
            update(routeKey, "REMOVE " + LEASE_ATTRIBUTES, HELD,
                    Attr.values(":cid", Attr.s(connectionId), ":owner", Attr.s(owner)));
        } catch (ConditionalCheckFailedException notOurs) {
            // Taken over meanwhile, or the connection is gone: nothing of ours to release.
        }
    }

    @Override
    public ScanPage scan(String after, int limit) {
        ScanResponse page = dynamo.scan(b -> {
            b.tableName(table()).limit(limit)
                    .projectionExpression("routeKey, connectionId, providerType, externalId, #st, pollLeaseUntil,"
                            + " pollDeferredUntil")
                    .expressionAttributeNames(Map.of("#st", "status"));
            if (after != null) {
                b.exclusiveStartKey(Map.of("routeKey", Attr.s(after)));
            }
        });
        List<PollCandidate> items = page.items().stream().map(item -> new PollCandidate(Attr.str(item, "routeKey"),
                Attr.str(item, "connectionId"),
                Optional.ofNullable(Attr.str(item, "providerType")).flatMap(ProviderType::fromWire).orElse(null),
                Attr.str(item, "externalId"), Attr.str(item, "status"), millis(item, "pollLeaseUntil"),
                millis(item, "pollDeferredUntil"))).toList();
        Map<String, AttributeValue> last = page.lastEvaluatedKey();
        return new ScanPage(items, last == null || last.isEmpty() ? null : Attr.str(last, "routeKey"));
    }

    private void held(String routeKey, String update, String condition, Map<String, AttributeValue> values,
            String what) {
        try {
            update(routeKey, update, condition, values);
        } catch (ConditionalCheckFailedException e) {
            throw new LostLease("cannot " + what + " of " + routeKey + ": this worker no longer holds its poll");
        }
    }

    private void update(String routeKey, String update, String condition, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> bound = new HashMap<>(values);
        dynamo.updateItem(b -> {
            b.tableName(table()).key(Map.of("routeKey", Attr.s(routeKey)))
                    .updateExpression(update).conditionExpression(condition).expressionAttributeValues(bound);
            if (update.contains("#st") || condition.contains("#st")) {
                b.expressionAttributeNames(Map.of("#st", ConnectionStore.STATUS));
            }
        });
    }

    /** A stored error is one sentence for the API, at most {@link #MAX_ERROR} characters. */
    private static String sentence(String error, String otherwise) {
        String sentence = error == null || error.isBlank() ? otherwise : error.strip();
        return sentence.length() > MAX_ERROR ? sentence.substring(0, MAX_ERROR - 1) + "…" : sentence;
    }

    private static PollStatus status(Map<String, AttributeValue> item) {
        return new PollStatus(Attr.instant(item, "lastPolledAt"), Attr.str(item, "lastPollStatus"),
                Attr.str(item, "lastPollError"), Attr.numOrNull(item, "lastPollLeads"));
    }

    private static Instant millis(Map<String, AttributeValue> item, String name) {
        Long ms = Attr.numOrNull(item, name);
        return ms == null ? null : Instant.ofEpochMilli(ms);
    }

    private String table() {
        return tables.of(Schema.CONNECTIONS);
    }
}
