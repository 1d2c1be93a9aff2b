package com.leadsync.source.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.model.Connection;
import com.leadsync.model.ConnectionStatus;
import com.leadsync.model.ProviderType;
import com.leadsync.source.ConnectionLookup;
import com.leadsync.source.LeadNotice;
import com.leadsync.source.MalformedPayloadException;
import com.leadsync.source.WebhookReceipt;
import com.leadsync.source.WebhookRequest;
import com.leadsync.testing.GoogleAdsFake;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The receiver alone: {@code google_key} routes and authenticates before the lead is read; the key never travels on. */
class GoogleWebhookReceiverTest {

    private static final String KEY = "gk-0123456789abcdef-key";
    private static final Connection CUSTOMER = new Connection("con_g", "acc_1", ProviderType.GOOGLE_ADS, "1234567890",
            "ya29.token", "1//refresh", Instant.parse("2099-01-01T00:00:00Z"), Map.of(Connection.WEBHOOK_KEY, KEY),
            Instant.EPOCH, ConnectionStatus.ACTIVE, null);

    private final GoogleWebhookReceiver receiver = new GoogleWebhookReceiver(new ObjectMapper());
    private final List<String> keysLookedUp = new ArrayList<>();

    private final ConnectionLookup lookup = new ConnectionLookup() {
        @Override
        public Optional<Connection> byExternalId(String externalId) {
            throw new AssertionError("Google routes by its key, not by an account id");
        }

        @Override
        public Optional<Connection> byWebhookKey(String key) {
            keysLookedUp.add(key);
            return KEY.equals(key) ? Optional.of(CUSTOMER) : Optional.empty();
        }
    };

    private WebhookReceipt receive(String body) {
        return receiver.receive(new WebhookRequest(body.getBytes(StandardCharsets.UTF_8), Map.of(), Map.of()), lookup);
    }

    @Test
    void a_lead_with_a_known_key_is_one_notice_for_that_connection_carrying_the_lead_without_its_key() {
        WebhookReceipt receipt = receive(GoogleAdsFake.webhookLead(KEY, "TeSter-1", "jane@example.com", false));

        assertThat(receipt).isInstanceOf(WebhookReceipt.Leads.class);
        List<LeadNotice> notices = ((WebhookReceipt.Leads) receipt).notices();
        assertThat(notices).hasSize(1);
        LeadNotice n = notices.get(0);
        assertThat(n.providerType()).isEqualTo(ProviderType.GOOGLE_ADS);
        assertThat(n.externalId()).isEqualTo("1234567890");
        assertThat(n.providerLeadId()).isEqualTo("TeSter-1");
        assertThat(n.formId()).isEqualTo("40000000000");
        assertThat(n.adId()).isEqualTo("30000000000");
        assertThat(n.createdTime()).isEqualTo(Instant.parse("2026-03-07T14:30:00Z"));
        assertThat(n.hasPayload()).isTrue();
        assertThat(n.payload().has("google_key")).isFalse();
        assertThat(n.payload().toString()).doesNotContain(KEY);
        assertThat(n.payload().path("user_column_data")).hasSize(6);
        assertThat(keysLookedUp).containsExactly(KEY);
    }

    @Test
    void a_missing_or_unknown_key_is_unauthenticated_even_when_the_lead_is_also_malformed() {
        assertThat(receive("{\"lead_id\":\"L1\",\"lead_submit_time\":\"2026-03-07T14:30:00Z\"}"))
                .isInstanceOf(WebhookReceipt.Unauthenticated.class);
        assertThat(receive("{\"google_key\":\"\",\"lead_id\":\"L1\"}")).isInstanceOf(WebhookReceipt.Unauthenticated.class);
        assertThat(receive("{\"google_key\":12345678901234567890,\"lead_id\":\"L1\"}"))
                .isInstanceOf(WebhookReceipt.Unauthenticated.class);
        assertThat(receive("{\"google_key\":\"gk-wrong-key-0000000000\"}")).isInstanceOf(WebhookReceipt.Unauthenticated.class);
        assertThat(keysLookedUp).containsExactly("gk-wrong-key-0000000000");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "not json", "{\"google_key\":", "[]", "\"gk\"", "null",
        "{\"google_key\":\"gk-0123456789abcdef-key\"} {\"again\":1}"})
    void a_body_that_is_not_one_json_object_is_malformed(String body) {
        assertThatThrownBy(() -> receive(body)).isInstanceOf(MalformedPayloadException.class);
    }

    @Test
    void an_authenticated_body_without_a_lead_id_or_time_is_malformed() {
        assertThatThrownBy(() -> receive("{\"google_key\":\"" + KEY + "\",\"lead_submit_time\":\"2026-03-07T14:30:00Z\"}"))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("lead_id");
        assertThatThrownBy(() -> receive("{\"google_key\":\"" + KEY + "\",\"lead_id\":\"L1\"}"))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("lead_submit_time");
    }

    @Test
    void there_is_no_handshake() {
        assertThat(receiver.handshake(new WebhookRequest(null, Map.of(), Map.of("hub.challenge", "1")))).isEmpty();
    }
}
