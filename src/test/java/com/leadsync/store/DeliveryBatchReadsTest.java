package com.leadsync.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.delivery.Attempt;
import com.leadsync.delivery.DeliveryRecord;
import com.leadsync.delivery.DeliveryStatus;
import com.leadsync.testing.Emulators;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The deliveries of a page of leads come in one read per hundred, grouped by lead, those with no record absent. */
@QuarkusTest
class DeliveryBatchReadsTest {

    @Inject
    DeliveryStore deliveries;
    @Inject
    TableNames tables;

    @Test
    void a_page_of_fifty_leads_with_two_deliveries_each_is_read_in_one_request() {
        AtomicInteger requests = new AtomicInteger();
        ExecutionInterceptor counter = new ExecutionInterceptor() {
            @Override
            public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                requests.incrementAndGet();
            }
        };
        DynamoDbClient client = DynamoDbClient.builder().endpointOverride(URI.create(Emulators.dynamoEndpoint()))
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter)).build();
        DeliveryStore counted = new DeliveryStore(client, tables, 50);

        Map<String, List<String>> keys = new LinkedHashMap<>();
        List<String> delivered = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < 50; i++) {
            String lead = "ld_batch_" + UUID.randomUUID();
            keys.put(lead, List.of("dst_b", "sub_a"));
            deliveries.ensure(lead, "sub_a", "acc", "webhook", Instant.now().plusSeconds(900), null);
            if (i % 2 == 0) {
                // Only every other lead's second delivery has a record yet.
                deliveries.ensure(lead, "dst_b", "acc", "http", Instant.now().plusSeconds(900), null);
                assertThat(deliveries.takeLease(lead, "dst_b", 1, "w", now, now + 60_000)).isTrue();
                deliveries.recordDelivered(lead, "dst_b", "w", 1, Instant.now(),
                        List.of(new Attempt(Instant.now(), "delivered", 200, "ok")));
                delivered.add(lead);
            }
        }

        Map<String, List<DeliveryRecord>> found = counted.forLeads(keys);

        assertThat(requests.get()).as("requests for 100 keys").isEqualTo(1);
        assertThat(found).hasSize(50);
        keys.keySet().forEach(lead -> {
            List<DeliveryRecord> mine = found.get(lead);
            assertThat(mine).extracting(DeliveryRecord::leadId).containsOnly(lead);
            if (delivered.contains(lead)) {
                assertThat(mine).extracting(DeliveryRecord::targetId).containsExactly("dst_b", "sub_a");
                assertThat(mine.get(0).status()).isEqualTo(DeliveryStatus.DELIVERED);
                assertThat(mine.get(0).history()).as("listings carry no history").isEmpty();
            } else {
                assertThat(mine).extracting(DeliveryRecord::targetId).containsExactly("sub_a");
            }
        });
        assertThat(found.values().stream().mapToInt(List::size).sum()).isEqualTo(75);

        // And as a lead's own query lists them.
        String first = keys.keySet().iterator().next();
        assertThat(found.get(first)).usingRecursiveComparison()
                .isEqualTo(deliveries.listForLead(first, false));
        client.close();
    }
}
