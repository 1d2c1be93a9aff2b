package com.leadsync.source.tiktok;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.model.ProviderType;
import com.leadsync.source.LeadNotice;
import com.leadsync.source.MalformedPayloadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TikTokWebhookParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<LeadNotice> parse(String body) {
        return TikTokWebhookParser.parse(body.getBytes(StandardCharsets.UTF_8), JSON);
    }

    private static String lead(String id, String advertiserId) {
        return """
                {"id":"%s","page_id":"7123456789012345678","advertiser_id":"%s","ad_id":"1780000000000003",
                 "create_time":1762179727,"changes":[{"field":"email","value":"a@example.com"}]}"""
                .formatted(id, advertiserId);
    }

    @Test
    void each_entry_of_a_lead_event_is_one_notice_carrying_the_entry_as_its_payload() throws IOException {
        String entry;
        try (InputStream in = getClass().getResourceAsStream("/tiktok/leads/docs-webhook-example.json")) {
            entry = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<LeadNotice> notices = parse("""
                {"request_id":"2025110314220701234567890ABCDEF","object":1,"time":1762179730,"entry":[%s]}"""
                .formatted(entry));

        assertThat(notices).hasSize(1);
        LeadNotice n = notices.get(0);
        assertThat(n.providerType()).isEqualTo(ProviderType.TIKTOK_ADS);
        assertThat(n.externalId()).isEqualTo("7012345678901234567");
        assertThat(n.providerLeadId()).isEqualTo("7433000000000000001");
        assertThat(n.formId()).isEqualTo("7123456789012345678");
        assertThat(n.adId()).isEqualTo("1780000000000003");
        assertThat(n.createdTime()).isEqualTo(Instant.parse("2025-11-03T14:22:07Z"));
        assertThat(n.hasPayload()).isTrue();
        assertThat(n.payload()).isEqualTo(JSON.readTree(entry));
    }

    @Test
    void the_sample_event_in_infra_events_is_one_lead_of_the_sample_advertiser() throws IOException {
        List<LeadNotice> notices = TikTokWebhookParser.parse(
                Files.readAllBytes(Path.of("infra/events/tiktok-lead-webhook.json")), JSON);

        assertThat(notices).singleElement().satisfies(n -> {
            assertThat(n.externalId()).isEqualTo("7012345678901234567");
            assertThat(TikTokLeadMapper.map(n.payload(), null).lead().email()).isEqualTo("jane.doe@example.com");
        });
    }

    @Test
    void a_batch_may_mix_advertisers_and_each_lead_keeps_its_own() {
        List<LeadNotice> notices = parse("""
                {"object":1,"entry":[%s,%s,%s]}""".formatted(lead("7433000000000000001", "7012345678901234567"),
                lead("7433000000000000002", "7099999999999999999"), lead("7433000000000000003", "7012345678901234567")));

        assertThat(notices).extracting(LeadNotice::externalId)
                .containsExactly("7012345678901234567", "7099999999999999999", "7012345678901234567");
        assertThat(notices).extracting(LeadNotice::providerLeadId)
                .containsExactly("7433000000000000001", "7433000000000000002", "7433000000000000003");
    }

    @Test
    void ids_sent_as_json_numbers_stay_exact() {
        List<LeadNotice> notices = parse("""
                {"object":1,"entry":[{"id":7433000000000000999,"advertiser_id":7012345678901234567,
                 "page_id":7123456789012345678,"ad_id":1780000000000003,"create_time":1762179727}]}""");

        LeadNotice n = notices.get(0);
        assertThat(n.providerLeadId()).isEqualTo("7433000000000000999");
        assertThat(n.externalId()).isEqualTo("7012345678901234567");
        assertThat(n.formId()).isEqualTo("7123456789012345678");
        assertThat(n.payload().get("id").bigIntegerValue().toString()).isEqualTo("7433000000000000999");
    }

    @ParameterizedTest(name = "object {0}")
    @ValueSource(strings = {"2", "3", "8", "11", "\"2\"", "0"})
    void events_for_other_objects_carry_no_leads(String object) {
        assertThat(parse("{\"object\":" + object + ",\"entry\":[" + lead("7433000000000000001",
                "7012345678901234567") + "]}")).isEmpty();
    }

    @Test
    void a_lead_of_a_form_library_without_an_advertiser_is_skipped() {
        List<LeadNotice> notices = parse("""
                {"object":1,"entry":[{"id":"7433000000000000001","advertiser_id":"","library_id":"7200000000000000001",
                 "create_time":1762179727},%s]}""".formatted(lead("7433000000000000002", "7012345678901234567")));

        assertThat(notices).extracting(LeadNotice::providerLeadId).containsExactly("7433000000000000002");
    }

    @Test
    void implausible_form_and_ad_ids_are_dropped_not_refused() {
        LeadNotice n = parse("""
                {"object":1,"entry":[{"id":"7433000000000000001","advertiser_id":"7012345678901234567",
                 "page_id":"form-x","ad_id":1.5,"create_time":1762179727}]}""").get(0);
        assertThat(n.formId()).isNull();
        assertThat(n.adId()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "",
        "not json",
        "{\"object\":1,\"entry\":[]} trailing",
        "[]",
        "{\"entry\":[]}",
        "{\"object\":\"lead\",\"entry\":[]}",
        "{\"object\":1}",
        "{\"object\":1,\"entry\":{}}",
        "{\"object\":1,\"entry\":[\"7433000000000000001\"]}",
        "{\"object\":1,\"entry\":[{\"id\":\"7433000000000000001\",\"create_time\":1762179727}]}",
        "{\"object\":1,\"entry\":[{\"id\":\"7433000000000000001\",\"advertiser_id\":\"adv-1\",\"create_time\":1}]}",
        "{\"object\":1,\"entry\":[{\"advertiser_id\":\"7012345678901234567\",\"create_time\":1762179727}]}",
        "{\"object\":1,\"entry\":[{\"id\":7.4E18,\"advertiser_id\":\"7012345678901234567\",\"create_time\":1}]}",
        "{\"object\":1,\"entry\":[{\"id\":\"7433000000000000001\",\"advertiser_id\":\"7012345678901234567\"}]}",
        "{\"object\":1,\"entry\":[{\"id\":\"7433000000000000001\",\"advertiser_id\":\"7012345678901234567\","
                + "\"create_time\":1762179727,\"changes\":\"email\"}]}"})
    void a_body_that_is_not_a_lead_event_of_the_documented_shape_is_malformed(String body) {
        assertThatThrownBy(() -> parse(body)).isInstanceOf(MalformedPayloadException.class);
    }

    @Test
    void a_broken_entry_is_skipped_and_the_other_leads_of_the_batch_are_kept() {
        // One batch carries up to 1000 leads of several advertisers: refusing it would have TikTok retry it for
        // 24 hours and then drop every lead in it.
        List<LeadNotice> notices = parse("{\"object\":1,\"entry\":[" + lead("7433000000000000001", "7012345678901234567")
                + ",{\"id\":\"7433000000000000002\",\"advertiser_id\":\"7012345678901234567\"}"
                + ",\"not an entry\""
                + ",{\"id\":\"lead-3\",\"advertiser_id\":\"7099999999999999999\",\"create_time\":1762179727}"
                + "," + lead("7433000000000000005", "7099999999999999999") + "]}");

        assertThat(notices).extracting(LeadNotice::providerLeadId)
                .containsExactly("7433000000000000001", "7433000000000000005");
    }

    @Test
    void a_batch_whose_every_lead_entry_is_broken_is_malformed_naming_the_first() {
        assertThatThrownBy(() -> parse("{\"object\":1,\"entry\":["
                + "{\"id\":\"7433000000000000002\",\"advertiser_id\":\"7012345678901234567\"},\"x\"]}"))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("entry[0]");
    }

    @Test
    void a_skipped_library_lead_is_not_a_broken_one() {
        // Nothing of ours in it, but nothing malformed either: acknowledged, not refused.
        assertThat(parse("""
                {"object":1,"entry":[{"id":"7433000000000000001","library_id":"7200000000000000001",
                 "create_time":1762179727}]}""")).isEmpty();
    }
}
