package com.leadsync.store;

import java.util.List;

/**
 * The key attributes and indexes the store code relies on, table by table. template.yaml is where the
 * tables are defined (SAM deploys it, local mode creates its tables from it); a test checks that every
 * table here exists there with exactly these keys and indexes.
 */
public final class Schema {

    private Schema() {
    }

    public record Key(String partition, String sort) {
    }

    public record Index(String name, Key key) {
    }

    /** {@code logicalId} in template.yaml; {@code configKey} the config property holding the table name. */
    public record TableSchema(String logicalId, String configKey, Key key, List<Index> indexes) {
    }

    public static final TableSchema ACCOUNTS = new TableSchema("AccountsTable", "leadsync.tables.accounts",
            new Key("accountId", null), List.of());

    public static final TableSchema API_KEYS = new TableSchema("ApiKeysTable", "leadsync.tables.api-keys",
            new Key("keyHash", null), List.of());

    /** Keyed by route ({@code providerType#externalId}) so webhook routing is one strongly consistent read. */
    public static final TableSchema CONNECTIONS = new TableSchema("ConnectionsTable", "leadsync.tables.connections",
            new Key("routeKey", null),
            List.of(new Index("byAccount", new Key("accountId", null)),
                    new Index("byId", new Key("connectionId", null))));

    /**
     * {@code listKey} = receivedAt (until fetched: the notice's time) + '#' + leadId: newest-first listing per
     * account, under {@code accountShard} = accountId + '#' + shard (0..3, by leadId); {@code providerShard} =
     * accountId + '#' + providerType + '#' + shard: the same per account and provider. Fingerprint items
     * ({@code fp#…}, {@link FingerprintStore}) have none of these attributes: they are in no index.
     */
    public static final TableSchema LEADS = new TableSchema("LeadsTable", "leadsync.tables.leads",
            new Key("leadId", null),
            List.of(new Index("byAccount", new Key("accountShard", "listKey")),
                    new Index("byAccountProvider", new Key("providerShard", "listKey"))));

    /** {@code dueAt} (epoch ms) and {@code retryShard} exist only while a delivery waits for a retry: a sparse index. */
    public static final TableSchema DELIVERIES = new TableSchema("DeliveriesTable", "leadsync.tables.deliveries",
            new Key("leadId", "targetId"),
            List.of(new Index("dueRetries", new Key("retryShard", "dueAt"))));

    public static final TableSchema DESTINATIONS = new TableSchema("DestinationsTable", "leadsync.tables.destinations",
            new Key("destinationId", null),
            List.of(new Index("byAccount", new Key("accountId", null))));

    public static final TableSchema SUBSCRIPTIONS = new TableSchema("SubscriptionsTable",
            "leadsync.tables.subscriptions",
            new Key("subscriptionId", null),
            List.of(new Index("byAccount", new Key("accountId", null))));

    /**
     * Webhook leads whose provider account matches no connection, per route: {@code noticeKey} is
     * {@code lead#<providerLeadId>} for a waiting lead, {@code #count} for the route's counter. TTL attribute
     * {@code expiresAt}.
     */
    public static final TableSchema UNROUTED = new TableSchema("UnroutedTable", "leadsync.tables.unrouted",
            new Key("routeKey", "noticeKey"), List.of());

    /**
     * Documents too big for an item of their own table, in gzipped parts ({@code part} 0, 1, …; see
     * {@code PayloadParts}): {@code payload#<sha256>} a lead payload too big for SQS (TTL attribute {@code expiresAt},
     * {@code leadsync.payloads.retention}), {@code lead#<sha256>} a stored lead too big for its lead item (kept).
     */
    public static final TableSchema PAYLOADS = new TableSchema("PayloadTable", "leadsync.tables.payloads",
            new Key("payloadKey", "part"), List.of());

    /**
     * Import jobs, newest first per account ({@code listKey} = createdAt + '#' + jobId), and one lock item per
     * (connection, form) ({@code jobId} = {@code lock#...}, no {@code accountId}: not listed).
     */
    public static final TableSchema IMPORTS = new TableSchema("ImportsTable", "leadsync.tables.imports",
            new Key("jobId", null),
            List.of(new Index("byAccount", new Key("accountId", "listKey"))));

    /**
     * Records created in a CRM without a native upsert (Pipedrive), by a key of ours ({@code dst#<destinationId>#lead#
     * <leadId>}, {@code …#person#<sha256 of the email>}, {@code …#org#<sha256 of the company>}): {@code crmId} once
     * created, {@code owner}/{@code leaseUntil} while a delivery creates it ({@code CrmLinkStore}).
     */
    public static final TableSchema CRM_LINKS = new TableSchema("CrmLinksTable", "leadsync.tables.crm-links",
            new Key("linkKey", null), List.of());

    /**
     * Destinations' rate limits ({@link RateGateStore}): {@code limitKey} {@code w#…} permits per sub-window,
     * {@code s#…} concurrency slots, {@code p#…} a parked destination. TTL attribute {@code expiresAt}.
     */
    public static final TableSchema RATE_LIMITS = new TableSchema("RateLimitsTable", "leadsync.tables.rate-limits",
            new Key("limitKey", null), List.of());

    /**
     * OAuth connects waiting for their callback ({@link OAuthStateStore}), by the nonce of their state; consumed by a
     * conditional delete. TTL attribute {@code expiresAt}.
     */
    public static final TableSchema OAUTH_STATES = new TableSchema("OAuthStatesTable", "leadsync.tables.oauth-states",
            new Key("nonce", null), List.of());

    /**
     * Events told to webhook subscriptions ({@link EventStore}), kept while their deliveries may be retried: the
     * deliveries table names them by {@code eventId} where it names leads by {@code leadId}. TTL attribute
     * {@code expiresAt}.
     */
    public static final TableSchema EVENTS = new TableSchema("EventsTable", "leadsync.tables.events",
            new Key("eventId", null), List.of());

    /**
     * Flows ({@link FlowStore}): every version by {@code version} (1, 2, …; never changed, kept after a delete), and a
     * head item ({@code version} 0) with the current one; only heads carry {@code accountId}: a sparse index.
     */
    public static final TableSchema FLOWS = new TableSchema("FlowsTable", "leadsync.tables.flows",
            new Key("flowId", "version"), List.of(new Index("byAccount", new Key("accountId", "createdAt"))));

    /** Flow runs, one per (lead, flow) ({@link FlowRunStore}), listed per flow newest first by {@code runKey}. */
    public static final TableSchema FLOW_RUNS = new TableSchema("FlowRunsTable", "leadsync.tables.flow-runs",
            new Key("leadId", "flowId"), List.of(new Index("byFlow", new Key("flowId", "runKey"))));

    public static List<TableSchema> all() {
        return List.of(ACCOUNTS, API_KEYS, CONNECTIONS, LEADS, DELIVERIES, DESTINATIONS, SUBSCRIPTIONS, UNROUTED,
                PAYLOADS, IMPORTS, CRM_LINKS, RATE_LIMITS, OAUTH_STATES, EVENTS, FLOWS, FLOW_RUNS);
    }
}
