package com.leadsync.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.crypto.Sha256;
import com.leadsync.lead.Arrival;
import com.leadsync.lead.DailyLeadCounts;
import com.leadsync.lead.InstantRange;
import com.leadsync.lead.LeadIdentity;
import com.leadsync.lead.LeadRecord;
import com.leadsync.lead.LeadRepository;
import com.leadsync.model.ConditionFailed;
import com.leadsync.model.Lead;
import com.leadsync.model.LeadStatus;
import com.leadsync.model.ProviderType;
import com.leadsync.model.StoredLead;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Lead items and their forward-only status. Every state change is a single-item conditional write
 * (the local emulator has no transactions): a claim on the identity-derived leadId, then updates that
 * only the current lease holder may make.
 *
 * <p>A lead whose contract fields take more than {@link #MAX_INLINE_LEAD_BYTES} of JSON (a long answer: webhooks
 * carry up to 1 MB) would not fit DynamoDB's 400 KB item: its fields are kept whole in the payload table as
 * {@code lead#<sha256 of their JSON>} (no expiry), written before the item names them in {@code content}. The JSON
 * depends only on the mapped lead, so a retried store writes the same parts.
 */
@ApplicationScoped
public class LeadStore implements LeadRepository {

    /** The deliveries a lead was dispatched to (key → target type), see {@link LeadRecord#routes}. */
    private static final String ROUTES = "routes";

    private static final String BY_ACCOUNT = "byAccount";
    private static final String BY_ACCOUNT_PROVIDER = "byAccountProvider";
    /** The listing indexes' partition keys: accountId#shard and accountId#providerType#shard. */
    private static final String ACCOUNT_SHARD = "accountShard";
    private static final String PROVIDER_SHARD = "providerShard";
    static final int LIST_SHARDS = 4;
    /** BatchGetItem's limit. */
    /** The rest of a lead item (keys, lease, error, times) stays far below the 400 KB left. */
    static final int MAX_INLINE_LEAD_BYTES = 256 * 1024;
    private static final String CONTENT = "lead#";

    private final DynamoDbClient dynamo;
    private final TableNames tables;
    private final Cursor cursors;
    private final PayloadParts parts;
    private final ObjectMapper json;

    LeadStore(DynamoDbClient dynamo, TableNames tables, Cursor cursors, PayloadParts parts, ObjectMapper json) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.cursors = cursors;
        this.parts = parts;
        this.json = json;
    }

    private String table() {
        return tables.of(Schema.LEADS);
    }

    public Optional<LeadRecord> get(String leadId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table())
                .key(Map.of("leadId", Attr.s(leadId))).consistentRead(true)).item();
        // The table also holds fingerprint items (FingerprintStore), which are no leads and have no status.
        boolean lead = item != null && item.containsKey("status");
        return lead ? Optional.of(read(item)) : Optional.empty();
    }

    /**
     * Claims a new identity with a lease for {@code owner}; false when the lead already exists. The claimed lead is
     * listed already, at {@code noticedAt} (the provider's submission time as the notice gave it; else {@code now}),
     * so that one whose fetch keeps failing is seen with its error rather than hidden; storing it moves it to the
     * fetched {@code receivedAt}.
     */
    public boolean claim(LeadIdentity identity, Instant noticedAt, String owner, long leaseUntil, Instant now) {
        Instant listedAt = noticedAt != null && InstantRange.contains(noticedAt) ? noticedAt : now;
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("leadId", Attr.s(identity.leadId()));
        item.put("accountId", Attr.s(identity.accountId()));
        item.put("providerType", Attr.s(identity.providerType().wireName()));
        item.put("providerLeadId", Attr.s(identity.providerLeadId()));
        item.put(ACCOUNT_SHARD, Attr.s(accountShard(identity.accountId(), identity.leadId())));
        item.put(PROVIDER_SHARD, Attr.s(providerShard(identity.accountId(), identity.providerType(),
                identity.leadId())));
        item.put("listKey", Attr.s(listKey(listedAt, identity.leadId())));
        Attr.put(item, "noticedAt", listedAt);
        item.put("status", Attr.s(LeadStatus.RECEIVED.name()));
        item.put("leaseOwner", Attr.s(owner));
        item.put("leaseUntil", Attr.n(leaseUntil));
        item.put("firstSeenAt", Attr.s(now.toString()));
        item.put("claimedBy", Attr.s(owner));
        try {
            dynamo.putItem(b -> b.tableName(table()).item(item).conditionExpression("attribute_not_exists(leadId)"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    public Map<String, Claim> claims(Collection<String> leadIds) {
        Map<String, Claim> out = new HashMap<>();
        BatchGets.all(dynamo, table(), leadIds.stream().distinct().map(id -> Map.of("leadId", Attr.s(id))).toList(),
                        b -> b.projectionExpression("leadId, claimedBy, #st")
                                .expressionAttributeNames(Map.of("#st", "status")))
                .stream().filter(item -> item.containsKey("status"))
                .forEach(item -> out.put(Attr.str(item, "leadId"), new Claim(
                        Objects.requireNonNullElse(Attr.str(item, "claimedBy"), ""),
                        LeadStatus.valueOf(Attr.str(item, "status")))));
        return out;
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
    public void store(String owner, StoredLead lead, Arrival arrival) {
        Map<String, AttributeValue> v = new HashMap<>();
        List<String> sets = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        byte[] content = contentJson(lead.lead());
        if (content.length > MAX_INLINE_LEAD_BYTES) {
            String key = CONTENT + Sha256.hex(content);
            parts.write(key, content, null);
            setField(sets, names, v, "content", key);
            setField(sets, names, v, "receivedAt", lead.receivedAt().toString());
        } else {
            setContentFields(sets, names, v, lead);
        }
        setField(sets, names, v, "formId", lead.formId());
        setField(sets, names, v, "adId", lead.adId());
        setField(sets, names, v, "campaignId", lead.campaignId());
        setField(sets, names, v, "storedAt", lead.storedAt().toString());
        if (arrival != null) {
            setField(sets, names, v, "via", arrival.via());
            setField(sets, names, v, "queuedAt", arrival.queuedAt() == null ? null : arrival.queuedAt().toString());
            setField(sets, names, v, "traceId", arrival.traceId());
        }
        names.put("#isTest", "isTest");
        v.put(":isTest", Attr.bool(lead.isTest()));
        sets.add("#isTest = :isTest");
        names.put("#st", "status");
        v.put(":stored", Attr.s(LeadStatus.STORED.name()));
        v.put(":received", Attr.s(LeadStatus.RECEIVED.name()));
        v.put(":me", Attr.s(owner));
        sets.add("#st = :stored");
        // Listed where it was claimed, at the notice's time: usually the fetched receivedAt already, so the lead
        // keeps its place in both listing indexes (moving it is a delete and a put in each). Only when the times
        // differ (or the item is older than noticedAt) is listKey set, in a second write.
        v.put(":noticed", Attr.s(lead.receivedAt().toString()));
        String update = "SET " + String.join(", ", sets) + " REMOVE lastError";
        String condition = "leaseOwner = :me AND #st = :received";
        try {
            dynamo.updateItem(b -> b.tableName(table()).key(Map.of("leadId", Attr.s(lead.leadId())))
                    .updateExpression(update).conditionExpression(condition + " AND noticedAt = :noticed")
                    .expressionAttributeNames(names).expressionAttributeValues(v));
            return;
        } catch (ConditionalCheckFailedException movedOrLost) {
            // Listed at another time, or the lease is lost: the second write tells which.
        }
        v.remove(":noticed");
        names.put("#lk", "listKey");
        v.put(":lk", Attr.s(listKey(lead.receivedAt(), lead.leadId())));
        String moved = "SET #lk = :lk, " + String.join(", ", sets) + " REMOVE lastError";
        conditional(b -> b.tableName(table()).key(Map.of("leadId", Attr.s(lead.leadId())))
                .updateExpression(moved).conditionExpression(condition)
                .expressionAttributeNames(names).expressionAttributeValues(v), "store " + lead.leadId());
    }

    /** The contract's fields of the lead, as attributes of its item. */
    private static void setContentFields(List<String> sets, Map<String, String> names, Map<String, AttributeValue> v,
            StoredLead lead) {
        setField(sets, names, v, "email", lead.email());
        setField(sets, names, v, "firstName", lead.firstName());
        setField(sets, names, v, "lastName", lead.lastName());
        setField(sets, names, v, "fullName", lead.fullName());
        setField(sets, names, v, "phoneNumber", lead.phoneNumber());
        setField(sets, names, v, "company", lead.company());
        setField(sets, names, v, "receivedAt", lead.receivedAt().toString());
        names.put("#rawFieldData", "rawFieldData");
        v.put(":rawFieldData", Attr.map(lead.rawFieldData()));
        sets.add("#rawFieldData = :rawFieldData");
        names.put("#customFields", "customFields");
        v.put(":customFields", Attr.map(lead.customFields()));
        sets.add("#customFields = :customFields");
    }

    private byte[] contentJson(Lead lead) {
        try {
            return json.writeValueAsBytes(lead);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a lead cannot be written as JSON", e);
        }
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
    public void markDispatched(String leadId, String owner, Instant at, Map<String, String> routes) {
        conditional(b -> b.tableName(table()).key(Map.of("leadId", Attr.s(leadId)))
                .updateExpression("SET #st = :done, dispatchedAt = :now, #routes = :routes REMOVE leaseOwner, leaseUntil")
                .conditionExpression("leaseOwner = :me AND #st = :stored")
                .expressionAttributeNames(Map.of("#st", "status", "#routes", ROUTES))
                .expressionAttributeValues(Attr.values(":me", Attr.s(owner), ":now", Attr.s(at.toString()),
                        ":routes", Attr.map(routes),
                        ":done", Attr.s(LeadStatus.DISPATCHED.name()),
                        ":stored", Attr.s(LeadStatus.STORED.name()))), "dispatch " + leadId);
    }

    @Override
    public void addRoutes(String leadId, Map<String, String> routes) {
        if (routes.isEmpty()) {
            return;
        }
        Map<String, String> names = new HashMap<>(Map.of("#routes", ROUTES));
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> set = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, String> r : routes.entrySet()) {
            names.put("#k" + i, r.getKey());
            values.put(":t" + i, Attr.s(r.getValue()));
            set.add("#routes.#k" + i + " = :t" + i);
            i++;
        }
        try {
            dynamo.updateItem(b -> b.tableName(table()).key(Map.of("leadId", Attr.s(leadId)))
                    .updateExpression("SET " + String.join(", ", set)).conditionExpression("attribute_exists(#routes)")
                    .expressionAttributeNames(names).expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException keptNone) {
            // Dispatched before routes were kept: its views query its deliveries.
        }
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

    /** Removes a claim that turned out to be a duplicate of another lead; only the lease holder, before storing. */
    public void discard(String leadId, String owner) {
        try {
            dynamo.deleteItem(b -> b.tableName(table()).key(Map.of("leadId", Attr.s(leadId)))
                    .conditionExpression("leaseOwner = :me AND #st = :received")
                    .expressionAttributeNames(Map.of("#st", "status"))
                    .expressionAttributeValues(Attr.values(":me", Attr.s(owner),
                            ":received", Attr.s(LeadStatus.RECEIVED.name()))));
        } catch (ConditionalCheckFailedException e) {
            throw new ConditionFailed("lost the lease or state changed during discard " + leadId);
        }
    }

    public void countDuplicate(String leadId) {
        dynamo.updateItem(b -> b.tableName(table()).key(Map.of("leadId", Attr.s(leadId)))
                .updateExpression("ADD duplicates :one")
                .conditionExpression("attribute_exists(leadId)")
                .expressionAttributeValues(Map.of(":one", Attr.n(1))));
    }



    /** An account's stored leads, as {@link #listRecords} lists them, without those not fetched yet. */
    public Page list(String accountId, int limit, String cursor, ProviderType provider, Instant since, Instant until) {
        RecordPage page = listRecords(accountId, limit, cursor, provider, since, until);
        return new Page(page.items().stream().map(LeadRecord::lead).filter(Objects::nonNull).toList(),
                page.nextCursor());
    }

    /**
     * An account's leads, newest {@code listKey} first ({@code receivedAt}, or the notice's time until fetched).
     * {@code since}/{@code until} bound the key range; a provider filter is an index of its own
     * ({@code byAccountProvider}), so every read item is a listed one. Both are sharded ({@link #LIST_SHARDS} keys
     * per account): a page reads up to {@code limit} keys of each shard, merges them, and reads its leads in one
     * batch.
     *
     * @throws IllegalArgumentException when {@code cursor} was not made by this listing (account, filter, window)
     */
    public RecordPage listRecords(String accountId, int limit, String cursor, ProviderType provider, Instant since,
            Instant until) {
        List<String> scope = Arrays.asList("leads", accountId, provider == null ? null : provider.wireName(),
                since == null ? null : since.toString(), until == null ? null : until.toString());
        // Every listKey starts with a year's digit: "0" is below them all.
        String lower = since == null ? "0" : sortable(since);
        String upper = until == null ? "\uffff" : sortable(until) + "#\uffff";
        String after = null;
        if (cursor != null && !cursor.isBlank()) {
            Map<String, String> position = cursors.decode(scope, cursor);
            String listKey = position.get("listKey");
            String leadId = position.get("leadId");
            if (position.size() != 2 || listKey == null || listKey.isEmpty() || leadId == null || leadId.isEmpty()) {
                throw new IllegalArgumentException("cursor is not valid for this listing");
            }
            // listKey ends with the leadId, so it is unique: the next page is everything older than it.
            after = listKey;
            upper = listKey.compareTo(upper) < 0 ? listKey : upper;
        }
        if (upper.compareTo(lower) < 0) {
            return new RecordPage(List.of(), List.of());
        }
        Newest newest = newest(provider == null ? BY_ACCOUNT : BY_ACCOUNT_PROVIDER,
                provider == null ? ACCOUNT_SHARD : PROVIDER_SHARD, partitions(accountId, provider), lower, upper,
                after, limit, null);
        // The indexes hold keys only (a lead's every write would otherwise rewrite it in both): the page's items
        // are read in one batch, in the listing's order; one removed meanwhile (a discarded duplicate) is left out.
        Map<String, Map<String, AttributeValue>> full = itemsOf(newest.keys().stream()
                .map(k -> Attr.str(k, "leadId")).toList());
        List<LeadRecord> items = new ArrayList<>();
        List<String> afters = new ArrayList<>();
        for (Map<String, AttributeValue> key : newest.keys()) {
            Map<String, AttributeValue> item = full.get(Attr.str(key, "leadId"));
            if (item == null) {
                continue;
            }
            items.add(read(item));
            afters.add(cursors.encode(scope, Map.of("listKey", Attr.str(key, "listKey"),
                    "leadId", Attr.str(key, "leadId"))));
        }
        if (!newest.more() && !afters.isEmpty()) {
            afters.set(afters.size() - 1, null);
        }
        return new RecordPage(items, afters);
    }

    /** The listed keys, newest first, and whether older ones are left. */
    private record Newest(List<Map<String, AttributeValue>> keys, boolean more) {
    }

    /**
     * The {@code limit} newest keys across an account's listing shards ({@code partitions} of the index's
     * {@code partitionAttribute}) with {@code lower <= listKey <= upper}, {@code after} itself excluded: each shard
     * is read newest first up to {@code limit} keys (so nothing newer can be missed), then merged.
     */
    private Newest newest(String index, String partitionAttribute, List<String> partitions, String lower,
            String upper, String after, int limit, String projection) {
        List<Map<String, AttributeValue>> all = new ArrayList<>();
        boolean truncated = false;
        for (String partition : partitions) {
            int want = limit + (after == null ? 0 : 1);
            int got = 0;
            Map<String, AttributeValue> start = null;
            boolean more;
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse r = dynamo.query(QueryRequest.builder().tableName(table()).indexName(index)
                        .keyConditionExpression(partitionAttribute + " = :p AND listKey BETWEEN :lo AND :hi")
                        .expressionAttributeValues(Map.of(":p", Attr.s(partition), ":lo", Attr.s(lower),
                                ":hi", Attr.s(upper)))
                        .projectionExpression(projection).scanIndexForward(false)
                        .limit(Math.min(1000, want - got)).exclusiveStartKey(from).build());
                for (Map<String, AttributeValue> key : r.items()) {
                    if (!Attr.str(key, "listKey").equals(after)) {
                        all.add(key);
                    }
                    got++;
                }
                more = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty();
                start = more ? r.lastEvaluatedKey() : null;
            } while (more && got < want);
            truncated |= more;
        }
        all.sort(java.util.Comparator.comparing((Map<String, AttributeValue> k) -> Attr.str(k, "listKey"))
                .reversed());
        boolean more = truncated || all.size() > limit;
        return new Newest(all.size() > limit ? List.copyOf(all.subList(0, limit)) : all, more);
    }

    /**
     * The listing shards of an account (or of its leads of one provider): a lead is listed under one of
     * {@link #LIST_SHARDS} keys by its id, so that an import of thousands of leads a second into one account
     * spreads its index writes over that many partitions (README "Scaling"); a listing reads them all and merges.
     */
    private static List<String> partitions(String accountId, ProviderType provider) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < LIST_SHARDS; i++) {
            out.add((provider == null ? accountId : accountId + "#" + provider.wireName()) + "#" + i);
        }
        return out;
    }

    private static int listShard(String leadId) {
        return Math.floorMod(leadId.hashCode(), LIST_SHARDS);
    }

    /** The items of {@code leadIds}, strongly consistent, by leadId; absent ones are left out. */
    private Map<String, Map<String, AttributeValue>> itemsOf(List<String> leadIds) {
        Map<String, Map<String, AttributeValue>> out = new HashMap<>();
        BatchGets.all(dynamo, table(), leadIds.stream().distinct().map(id -> Map.of("leadId", Attr.s(id))).toList(),
                b -> b).forEach(i -> out.put(Attr.str(i, "leadId"), i));
        return out;
    }

    /** Reads only the key and the provider of each listed lead, newest first across the account's shards. */
    public DailyLeadCounts countByDay(String accountId, Instant since, Instant until, int maxLeads) {
        Newest newest = newest(BY_ACCOUNT, ACCOUNT_SHARD, partitions(accountId, null), sortable(since),
                sortable(until) + "#\uffff", null, maxLeads, "listKey, providerType");
        SortedMap<LocalDate, Map<ProviderType, Long>> days = new TreeMap<>();
        long counted = 0;
        String oldest = null;
        for (Map<String, AttributeValue> item : newest.keys()) {
            String key = Attr.str(item, "listKey");
            Optional<ProviderType> provider = ProviderType.fromWire(Attr.str(item, "providerType"));
            if (key == null || key.length() < 10 || provider.isEmpty()) {
                continue;
            }
            days.computeIfAbsent(LocalDate.parse(key.substring(0, 10)), d -> new EnumMap<>(ProviderType.class))
                    .merge(provider.get(), 1L, Long::sum);
            counted++;
            oldest = key;
        }
        Instant back = newest.more() && oldest != null ? Instant.from(SORTABLE.parse(oldest.substring(0, 24))) : null;
        return new DailyLeadCounts(days, counted, !newest.more(), back);
    }

    private static String accountShard(String accountId, String leadId) {
        return accountId + "#" + listShard(leadId);
    }

    private static String providerShard(String accountId, ProviderType provider, String leadId) {
        return accountId + "#" + provider.wireName() + "#" + listShard(leadId);
    }

    private static String listKey(Instant at, String leadId) {
        return sortable(at) + "#" + leadId;
    }

    private void conditional(Consumer<UpdateItemRequest.Builder> req,
            String what) {
        try {
            dynamo.updateItem(req);
        } catch (ConditionalCheckFailedException e) {
            throw new ConditionFailed("lost the lease or state changed during " + what);
        }
    }

    private static final DateTimeFormatter SORTABLE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** Fixed-width UTC timestamps, so that string order is time order in the index. */
    static String sortable(Instant t) {
        return SORTABLE.format(t);
    }

    private LeadRecord read(Map<String, AttributeValue> item) {
        LeadStatus status = LeadStatus.valueOf(Attr.str(item, "status"));
        StoredLead lead = null;
        if (status != LeadStatus.RECEIVED && item.containsKey("content")) {
            Lead l = content(Attr.str(item, "content"), Attr.str(item, "leadId"));
            lead = new StoredLead(Attr.str(item, "leadId"), Attr.str(item, "accountId"), l.providerType(),
                    l.providerLeadId(), l.email(), l.firstName(), l.lastName(), l.fullName(), l.phoneNumber(),
                    l.company(), l.rawFieldData(), l.customFields(), l.receivedAt(), Attr.str(item, "formId"),
                    Attr.str(item, "adId"), Attr.str(item, "campaignId"), Attr.bool(item, "isTest"),
                    Attr.instant(item, "storedAt"));
        } else if (status != LeadStatus.RECEIVED && item.containsKey("receivedAt")) {
            lead = new StoredLead(Attr.str(item, "leadId"), Attr.str(item, "accountId"),
                    ProviderType.fromWire(Attr.str(item, "providerType")).orElseThrow(),
                    Attr.str(item, "providerLeadId"), Attr.str(item, "email"), Attr.str(item, "firstName"),
                    Attr.str(item, "lastName"), Attr.str(item, "fullName"), Attr.str(item, "phoneNumber"),
                    Attr.str(item, "company"), Attr.strMap(item, "rawFieldData"),
                    Attr.strMap(item, "customFields"), Attr.instant(item, "receivedAt"), Attr.str(item, "formId"),
                    Attr.str(item, "adId"), Attr.str(item, "campaignId"), Attr.bool(item, "isTest"),
                    Attr.instant(item, "storedAt"));
        }
        return new LeadRecord(Attr.str(item, "leadId"), Attr.str(item, "accountId"),
                ProviderType.fromWire(Attr.str(item, "providerType")).orElseThrow(), Attr.str(item, "providerLeadId"),
                status, Attr.str(item, "leaseOwner"), Attr.num(item, "leaseUntil", 0), Attr.num(item, "duplicates", 0),
                Attr.str(item, "lastError"), Attr.instant(item, "noticedAt"), lead, Attr.instant(item, "firstSeenAt"),
                item.containsKey("via") || item.containsKey("traceId") ? new Arrival(Attr.str(item, "via"),
                        Attr.instant(item, "queuedAt"), Attr.str(item, "traceId")) : null,
                Attr.instant(item, "dispatchedAt"),
                item.containsKey(ROUTES) ? Attr.strMap(item, ROUTES) : null);
    }

    private Lead content(String key, String leadId) {
        byte[] content = parts.read(key).orElseThrow(() -> new IllegalStateException("lead " + leadId
                + ": its fields, kept as " + key + ", are missing"));
        try {
            return json.readValue(content, Lead.class);
        } catch (IOException e) {
            throw new IllegalStateException("lead " + leadId + ": its fields, kept as " + key + ", are not readable", e);
        }
    }
}
