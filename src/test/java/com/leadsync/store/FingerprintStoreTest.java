package com.leadsync.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.lead.LeadFingerprint;
import com.leadsync.model.ProviderType;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The cross-channel claim on the real emulator: one item per fingerprint, appended under a version condition. */
@QuarkusTest
class FingerprintStoreTest {

    private static final Instant T = Instant.parse("2026-03-07T14:30:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Inject
    FingerprintStore fingerprints;
    @Inject
    LeadStore leads;
    @Inject
    DynamoDbClient dynamo;
    @Inject
    TableNames tables;

    private static String account() {
        return "acc_fp_" + UUID.randomUUID();
    }

    private static LeadFingerprint at(String key, Instant t) {
        return new LeadFingerprint(key, t, MINUTE);
    }

    private Map<String, AttributeValue> item(String account, String key) {
        return dynamo.getItem(b -> b.tableName(tables.of(Schema.LEADS)).consistentRead(true).key(Map.of("leadId",
                AttributeValue.fromS(FingerprintStore.itemKey(account, ProviderType.GOOGLE_ADS, key))))).item();
    }

    @Test
    void eight_registrations_of_one_submission_at_once_register_exactly_one_and_the_others_name_it() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 3; round++) {
                String account = account();
                CyclicBarrier start = new CyclicBarrier(8);
                List<Future<String>> answers = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    String leadId = "ld_" + i;
                    Instant t = T.plusMillis(i * 100L);
                    answers.add(pool.submit(() -> {
                        start.await();
                        return fingerprints.register(account, ProviderType.GOOGLE_ADS, at("click+email", t), leadId);
                    }));
                }
                List<String> canonical = new ArrayList<>();
                for (Future<String> answer : answers) {
                    canonical.add(answer.get());
                }

                assertThat(canonical).as("round %d: everyone names the same lead", round)
                        .containsOnly(canonical.get(0));
                assertThat(item(account, "click+email").get("submissions").l()).as("round %d", round).hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void registering_the_same_lead_again_is_idempotent() {
        String account = account();

        assertThat(fingerprints.register(account, ProviderType.GOOGLE_ADS, at("k", T), "ld_a")).isEqualTo("ld_a");
        assertThat(fingerprints.register(account, ProviderType.GOOGLE_ADS, at("k", T), "ld_a")).isEqualTo("ld_a");

        assertThat(item(account, "k").get("submissions").l()).hasSize(1);
        assertThat(item(account, "k").get("version").n()).isEqualTo("1");
    }

    @Test
    void a_submission_beyond_the_tolerance_is_registered_beside_the_first_and_each_keeps_its_duplicates() {
        String account = account();
        Instant later = T.plus(Duration.ofMinutes(10));

        assertThat(fingerprints.register(account, ProviderType.GOOGLE_ADS, at("k", T), "ld_a")).isEqualTo("ld_a");
        assertThat(fingerprints.register(account, ProviderType.GOOGLE_ADS, at("k", later), "ld_b")).isEqualTo("ld_b");
        assertThat(fingerprints.register(account, ProviderType.GOOGLE_ADS, at("k", later.plusSeconds(60)), "ld_c"))
                .isEqualTo("ld_b");
        assertThat(fingerprints.register(account, ProviderType.GOOGLE_ADS, at("k", T.minusSeconds(60)), "ld_d"))
                .isEqualTo("ld_a");

        assertThat(item(account, "k").get("submissions").l()).hasSize(2);
    }

    @Test
    void a_fingerprint_is_scoped_to_its_account_and_provider() {
        String account = account();
        String other = account();

        assertThat(fingerprints.register(account, ProviderType.GOOGLE_ADS, at("k", T), "ld_a")).isEqualTo("ld_a");
        assertThat(fingerprints.register(other, ProviderType.GOOGLE_ADS, at("k", T), "ld_b")).isEqualTo("ld_b");
        assertThat(fingerprints.register(account, ProviderType.TIKTOK_ADS, at("k", T), "ld_c")).isEqualTo("ld_c");
    }

    @Test
    void the_fingerprint_item_holds_no_key_material_and_is_no_lead() {
        String account = account();
        fingerprints.register(account, ProviderType.GOOGLE_ADS, at("gclid=EAIa\nemail-sha256=abc", T), "ld_a");
        String itemKey = FingerprintStore.itemKey(account, ProviderType.GOOGLE_ADS, "gclid=EAIa\nemail-sha256=abc");

        assertThat(itemKey).matches("fp#[0-9a-f]{64}");
        assertThat(item(account, "gclid=EAIa\nemail-sha256=abc")).containsOnlyKeys("leadId", "submissions", "version");
        assertThat(leads.get(itemKey)).isEmpty();
        assertThat(leads.listRecords(account, 10, null, null, null, null).items()).isEmpty();
    }
}
