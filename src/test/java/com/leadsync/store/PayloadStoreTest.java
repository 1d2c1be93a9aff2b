package com.leadsync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.leadsync.crypto.Sha256;
import com.leadsync.lead.LeadIdentity;
import com.leadsync.model.LeadStatus;
import com.leadsync.model.ProviderType;
import com.leadsync.model.StoredLead;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Documents kept in parts in the payload table, on the real DynamoDB emulator (which enforces the 400 KB item). */
@QuarkusTest
class PayloadStoreTest {

    @Inject
    PayloadStore payloads;
    @Inject
    LeadStore leads;
    @Inject
    DynamoDbClient dynamo;
    @Inject
    TableNames tables;

    private static byte[] incompressible(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /** Text that gzip cannot shrink much: base64 of random bytes. */
    private static String longAnswer(int chars) {
        return Base64.getEncoder().encodeToString(incompressible(chars)).substring(0, chars);
    }

    private List<Map<String, AttributeValue>> items(String payloadKey) {
        return dynamo.query(b -> b.tableName(tables.of(Schema.PAYLOADS)).consistentRead(true)
                .keyConditionExpression("payloadKey = :k")
                .expressionAttributeValues(Map.of(":k", Attr.s(payloadKey)))).items();
    }

    @Test
    void a_payload_of_a_megabyte_is_kept_in_parts_and_read_back_whole() {
        byte[] json = incompressible(1024 * 1024);
        String ref = Sha256.hex(json);
        Instant until = Instant.parse("2026-04-11T00:00:00Z");

        payloads.put(ref, json, until);

        assertThat(payloads.get(ref)).hasValueSatisfying(back -> assertThat(back).isEqualTo(json));
        assertThat(items("payload#" + ref)).hasSize(4).allSatisfy(item -> {
            assertThat(Attr.num(item, "parts", 0)).isEqualTo(4);
            assertThat(Attr.num(item, "expiresAt", 0)).isEqualTo(until.getEpochSecond());
        });
        // Kept again (a retried webhook): the same items.
        payloads.put(ref, json, until);
        assertThat(items("payload#" + ref)).hasSize(4);
    }

    @Test
    void renewing_moves_the_expiry_of_every_part_and_never_creates_one() {
        byte[] json = incompressible(700 * 1024);
        String ref = Sha256.hex(json);
        payloads.put(ref, json, Instant.parse("2026-04-11T00:00:00Z"));
        Instant later = Instant.parse("2026-05-01T00:00:00Z");

        assertThat(payloads.renew(ref, later)).isTrue();

        assertThat(items("payload#" + ref)).hasSize(3)
                .allSatisfy(item -> assertThat(Attr.num(item, "expiresAt", 0)).isEqualTo(later.getEpochSecond()));
        String unknown = Sha256.hex("nothing kept " + UUID.randomUUID());
        assertThat(payloads.renew(unknown, later)).isFalse();
        assertThat(items("payload#" + unknown)).isEmpty();
        assertThat(payloads.get(unknown)).isEmpty();
    }

    @Test
    void a_payload_missing_a_part_is_an_error_not_a_shorter_payload() {
        byte[] json = incompressible(700 * 1024);
        String ref = Sha256.hex(json);
        payloads.put(ref, json, Instant.parse("2026-04-11T00:00:00Z"));
        dynamo.deleteItem(b -> b.tableName(tables.of(Schema.PAYLOADS))
                .key(Map.of("payloadKey", Attr.s("payload#" + ref), "part", Attr.n(1))));

        assertThatThrownBy(() -> payloads.get(ref)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("incomplete");
    }

    @Test
    void a_lead_too_big_for_its_item_is_stored_and_read_back_whole() {
        String accountId = "acc_big_" + UUID.randomUUID();
        LeadIdentity identity = new LeadIdentity(accountId, ProviderType.GOOGLE_ADS, "TeSter-" + UUID.randomUUID());
        String owner = "test-" + UUID.randomUUID();
        Instant now = Instant.now();
        Instant receivedAt = Instant.parse("2026-03-07T14:30:00Z");
        assertThat(leads.claim(identity, receivedAt, owner, now.toEpochMilli() + 60_000, now)).isTrue();
        Map<String, String> custom = new LinkedHashMap<>();
        custom.put("Tell us about your project", longAnswer(600 * 1024));
        custom.put("What is your monthly budget?", "$5k-$10k");
        StoredLead lead = new StoredLead(identity.leadId(), accountId, ProviderType.GOOGLE_ADS,
                identity.providerLeadId(), "jane@example.com", "Jane", "Doe", "Jane Doe", "+14155550123", "Acme Inc",
                Map.of("POSTAL_CODE", "94105"), custom, receivedAt, "40000000000", "30000000000", "50000000000", true,
                now);

        leads.store(owner, lead);
        leads.markDispatched(identity.leadId(), owner, now, java.util.Map.of());

        var record = leads.get(identity.leadId()).orElseThrow();
        assertThat(record.status()).isEqualTo(LeadStatus.DISPATCHED);
        assertThat(record.lead()).isEqualTo(lead);
        assertThat(record.lead().customFields()).containsExactlyEntriesOf(custom);
        assertThat(leads.list(accountId, 10, null, null, null, null).items()).containsExactly(lead);
        assertThat(leads.list(accountId, 10, null, ProviderType.GOOGLE_ADS, receivedAt, receivedAt).items())
                .containsExactly(lead);
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.of(Schema.LEADS))
                .key(Map.of("leadId", Attr.s(identity.leadId()))).consistentRead(true)).item();
        assertThat(item).containsKey("content").doesNotContainKeys("customFields", "email");
        assertThat(items(Attr.str(item, "content"))).hasSize(3)
                .allSatisfy(part -> assertThat(part).doesNotContainKey("expiresAt"));
    }

    @Test
    void a_lead_that_fits_its_item_is_stored_in_it_as_before() {
        String accountId = "acc_small_" + UUID.randomUUID();
        LeadIdentity identity = new LeadIdentity(accountId, ProviderType.GOOGLE_ADS, "TeSter-" + UUID.randomUUID());
        String owner = "test-" + UUID.randomUUID();
        Instant now = Instant.now();
        assertThat(leads.claim(identity, now, owner, now.toEpochMilli() + 60_000, now)).isTrue();
        StoredLead lead = new StoredLead(identity.leadId(), accountId, ProviderType.GOOGLE_ADS,
                identity.providerLeadId(), "jane@example.com", null, null, null, null, null, Map.of(),
                Map.of("Tell us about your project", longAnswer(200 * 1024)), now, null, null, null, false, now);

        leads.store(owner, lead);

        assertThat(leads.get(identity.leadId()).orElseThrow().lead()).isEqualTo(lead);
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.of(Schema.LEADS))
                .key(Map.of("leadId", Attr.s(identity.leadId()))).consistentRead(true)).item();
        assertThat(item).containsKeys("customFields", "email").doesNotContainKey("content");
    }
}
