package com.leadsync.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.lead.LeadIdentity;
import com.leadsync.model.ProviderType;
import com.leadsync.model.StoredLead;
import com.leadsync.testing.Emulators;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** What a filtered lead listing reads, counted on the real emulator by an SDK interceptor. */
@QuarkusTest
class LeadListingReadsTest {

    @Inject
    LeadStore leads;

    @Inject
    TableNames tables;

    @Inject
    Cursor cursors;

    @Inject
    PayloadParts parts;

    @Inject
    ObjectMapper json;

    /** Items DynamoDB read (ScannedCount: before any filter) for the queries of the counting client. */
    private final AtomicLong itemsRead = new AtomicLong();

    private LeadStore countingStore() {
        ExecutionInterceptor counter = new ExecutionInterceptor() {
            @Override
            public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                if (context.response() instanceof QueryResponse q) {
                    itemsRead.addAndGet(q.scannedCount());
                }
            }
        };
        DynamoDbClient client = DynamoDbClient.builder().endpointOverride(URI.create(Emulators.dynamoEndpoint()))
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter)).build();
        return new LeadStore(client, tables, cursors, parts, json);
    }

    private StoredLead store(String accountId, ProviderType provider, Instant receivedAt) {
        String providerLeadId = Long.toString(1_000_000_000_000_000L + (long) (Math.random() * 8e15));
        LeadIdentity identity = new LeadIdentity(accountId, provider, providerLeadId);
        String owner = "test-" + UUID.randomUUID();
        Instant now = Instant.now();
        assertThat(leads.claim(identity, receivedAt, owner, now.toEpochMilli() + 60_000, now)).isTrue();
        StoredLead lead = new StoredLead(identity.leadId(), accountId, provider, providerLeadId, "a@example.com",
                "Ann", "Lee", "Ann Lee", null, null, Map.of(), Map.of(), receivedAt, null, null, null, false, now);
        leads.store(owner, lead);
        return lead;
    }

    @Test
    void a_provider_filtered_page_reads_only_the_leads_it_returns() {
        String account = "acc_reads_" + UUID.randomUUID();
        Instant t0 = Instant.parse("2026-02-01T00:00:00Z");
        List<String> google = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            google.add(store(account, ProviderType.GOOGLE_ADS, t0.plus(Duration.ofMinutes(i))).leadId());
        }
        // Newer than every Google lead: a filter applied after the read has to go through all of them first.
        for (int i = 0; i < 40; i++) {
            store(account, ProviderType.META_LEAD_ADS, t0.plus(Duration.ofHours(1)).plus(Duration.ofMinutes(i)));
        }
        LeadStore counting = countingStore();

        LeadStore.Page page = counting.list(account, 3, null, ProviderType.GOOGLE_ADS, null, null);

        assertThat(page.items()).extracting(StoredLead::leadId)
                .containsExactly(google.get(3), google.get(2), google.get(1));
        assertThat(page.nextCursor()).isNotNull();
        assertThat(itemsRead.get()).as("items read for a page of 3 in an account of 44").isLessThanOrEqualTo(4);

        itemsRead.set(0);
        LeadStore.Page rest = counting.list(account, 3, page.nextCursor(), ProviderType.GOOGLE_ADS, null, null);

        assertThat(rest.items()).extracting(StoredLead::leadId).containsExactly(google.get(0));
        assertThat(rest.nextCursor()).isNull();
        assertThat(itemsRead.get()).isLessThanOrEqualTo(2);
    }

    @Test
    void a_listing_walks_every_shard_newest_first_without_losing_or_repeating_a_lead() {
        String account = "acc_shards_" + UUID.randomUUID();
        Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
        List<StoredLead> stored = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            // Pairs share a time: the leadId in the listKey orders them.
            stored.add(store(account, i % 3 == 0 ? ProviderType.GOOGLE_ADS : ProviderType.META_LEAD_ADS,
                    t0.plus(Duration.ofMinutes(i / 2))));
        }
        java.util.Set<Integer> shards = new java.util.HashSet<>();
        stored.forEach(l -> shards.add(Math.floorMod(l.leadId().hashCode(), LeadStore.LIST_SHARDS)));
        assertThat(shards).as("the leads spread over the shards").hasSize(LeadStore.LIST_SHARDS);
        List<String> expected = stored.stream()
                .sorted(java.util.Comparator.comparing(StoredLead::receivedAt).thenComparing(StoredLead::leadId)
                        .reversed())
                .map(StoredLead::leadId).toList();

        assertThat(walk(account, 4, null, null, null)).isEqualTo(expected);
        assertThat(walk(account, 200, null, null, null)).as("a page past BatchGetItem's 100 keys").isEqualTo(expected);
        assertThat(walk(account, 7, ProviderType.GOOGLE_ADS, null, null)).isEqualTo(stored.stream()
                .filter(l -> l.providerType() == ProviderType.GOOGLE_ADS).sorted(java.util.Comparator
                        .comparing(StoredLead::receivedAt).thenComparing(StoredLead::leadId).reversed())
                .map(StoredLead::leadId).toList());
        Instant since = t0.plus(Duration.ofMinutes(3));
        Instant until = t0.plus(Duration.ofMinutes(9));
        assertThat(walk(account, 5, null, since, until)).isEqualTo(expected.stream().filter(id -> {
            Instant at = stored.stream().filter(l -> l.leadId().equals(id)).findFirst().orElseThrow().receivedAt();
            return !at.isBefore(since) && !at.isAfter(until);
        }).toList());

        var counts = leads.countByDay(account, t0, t0.plus(Duration.ofDays(1)), 1000);
        assertThat(counts.counted()).isEqualTo(130);
        assertThat(counts.complete()).isTrue();
        var capped = leads.countByDay(account, t0, t0.plus(Duration.ofDays(1)), 10);
        assertThat(capped.counted()).isEqualTo(10);
        assertThat(capped.complete()).isFalse();
        // The newest ten: back to the tenth newest lead's time.
        Instant tenth = stored.stream().filter(l -> l.leadId().equals(expected.get(9))).findFirst().orElseThrow()
                .receivedAt();
        assertThat(capped.countedBack()).isEqualTo(tenth);
    }

    private List<String> walk(String account, int pageSize, ProviderType provider, Instant since, Instant until) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 100; pages++) {
            LeadStore.Page page = leads.list(account, pageSize, cursor, provider, since, until);
            assertThat(page.items().size()).isLessThanOrEqualTo(pageSize);
            page.items().forEach(l -> ids.add(l.leadId()));
            cursor = page.nextCursor();
            if (cursor == null) {
                return ids;
            }
        }
        throw new AssertionError("no end after 100 pages");
    }
}
