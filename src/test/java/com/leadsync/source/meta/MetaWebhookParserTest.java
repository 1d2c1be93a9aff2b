package com.leadsync.source.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.model.ProviderType;
import com.leadsync.source.LeadNotice;
import com.leadsync.source.MalformedPayloadException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MetaWebhookParserTest {

    private final ObjectMapper mapper = new ObjectMapper();

    private List<LeadNotice> parse(String json) {
        return MetaWebhookParser.parse(json.getBytes(StandardCharsets.UTF_8), mapper);
    }

    @Test
    void documentedSample() {
        List<LeadNotice> notices = parse("""
                {"object":"page","entry":[{"id":"106842931234567","time":1762179727,"changes":[{"field":"leadgen",
                 "value":{"leadgen_id":"1234567890123456","page_id":"106842931234567","form_id":"987654321098765",
                 "adgroup_id":"120210000000000002","ad_id":"120210000000000002","created_time":1762179727}}]}]}
                """);
        assertThat(notices).containsExactly(LeadNotice.idsOnly(ProviderType.META_LEAD_ADS, "106842931234567",
                "1234567890123456", "987654321098765", "120210000000000002", Instant.ofEpochSecond(1762179727)));
    }

    @Test
    void batchedEntriesYieldOneNoticePerLeadgenChangeInOrder() {
        List<LeadNotice> notices = parse("""
                {"object":"page","entry":[
                  {"id":"111","time":1762179727,"changes":[
                    {"field":"leadgen","value":{"leadgen_id":"9001","page_id":"111","form_id":"7001","ad_id":"8001","created_time":1762179700}},
                    {"field":"feed","value":{"item":"comment","verb":"add","post_id":"111_222"}},
                    {"field":"leadgen","value":{"leadgen_id":"9002","page_id":"111","form_id":"7001","created_time":1762179710}}
                  ]},
                  {"id":"333","time":1762179800,"changes":[
                    {"field":"leadgen","value":{"leadgen_id":"9003","page_id":"333","form_id":"7002","ad_id":"8003","created_time":1762179790}}
                  ]}
                ]}
                """);
        assertThat(notices).containsExactly(
                LeadNotice.idsOnly(ProviderType.META_LEAD_ADS, "111", "9001", "7001", "8001", Instant.ofEpochSecond(1762179700)),
                LeadNotice.idsOnly(ProviderType.META_LEAD_ADS, "111", "9002", "7001", null, Instant.ofEpochSecond(1762179710)),
                LeadNotice.idsOnly(ProviderType.META_LEAD_ADS, "333", "9003", "7002", "8003", Instant.ofEpochSecond(1762179790)));
    }

    @Test
    void numericIdsComeOutExactly() {
        // 17 and 18 digits: beyond 2^53, so any trip through a double would change them
        List<LeadNotice> notices = parse("""
                {"object":"page","entry":[{"id":106842931234567,"time":1762179727,"changes":[{"field":"leadgen",
                 "value":{"leadgen_id":12345678901234567,"page_id":106842931234567,"form_id":987654321098765,
                 "ad_id":120210000000000003,"created_time":1762179727}}]}]}
                """);
        assertThat(notices).singleElement().satisfies(n -> {
            assertThat(n.providerLeadId()).isEqualTo("12345678901234567");
            assertThat(n.externalId()).isEqualTo("106842931234567");
            assertThat(n.formId()).isEqualTo("987654321098765");
            assertThat(n.adId()).isEqualTo("120210000000000003");
        });
    }

    @Test
    void stringIdsAreKeptVerbatim() {
        List<LeadNotice> notices = parse("""
                {"object":"page","entry":[{"id":"106842931234567","changes":[{"field":"leadgen",
                 "value":{"leadgen_id":"0012345678901234567","page_id":"106842931234567","created_time":"1762179727"}}]}]}
                """);
        assertThat(notices).singleElement().satisfies(n -> {
            assertThat(n.providerLeadId()).isEqualTo("0012345678901234567");
            assertThat(n.createdTime()).isEqualTo(Instant.ofEpochSecond(1762179727));
            assertThat(n.formId()).isNull();
            assertThat(n.adId()).isNull();
        });
    }

    @Test
    void adgroupIdStandsInForAMissingAdId() {
        List<LeadNotice> notices = parse("""
                {"object":"page","entry":[{"id":"1","changes":[{"field":"leadgen",
                 "value":{"leadgen_id":"9","page_id":"1","adgroup_id":"120210000000000002","created_time":1}}]}]}
                """);
        assertThat(notices).singleElement().extracting(LeadNotice::adId).isEqualTo("120210000000000002");
    }

    @Test
    void entryIdStandsInForAMissingPageId() {
        List<LeadNotice> notices = parse("""
                {"object":"page","entry":[{"id":"106842931234567","changes":[{"field":"leadgen",
                 "value":{"leadgen_id":"9","created_time":1762179727}}]}]}
                """);
        assertThat(notices).singleElement().extracting(LeadNotice::externalId).isEqualTo("106842931234567");
    }

    @Test
    void missingCreatedTimeIsNull() {
        List<LeadNotice> notices = parse("""
                {"object":"page","entry":[{"id":"1","changes":[{"field":"leadgen","value":{"leadgen_id":"9","page_id":"1"}}]}]}
                """);
        assertThat(notices).singleElement().extracting(LeadNotice::createdTime).isNull();
    }

    @Test
    void otherObjectsAndFieldsYieldNothing() {
        assertThat(parse("""
                {"object":"instagram","entry":[{"id":"1","changes":[{"field":"leadgen","value":{"leadgen_id":"9"}}]}]}
                """)).isEmpty();
        assertThat(parse("""
                {"object":"page","entry":[{"id":"1","changes":[{"field":"feed","value":{"item":"status"}}]}]}
                """)).isEmpty();
        assertThat(parse("""
                {"object":"page","entry":[{"id":"1","time":1,"messaging":[{"message":{"text":"hi"}}]}]}
                """)).isEmpty();
        assertThat(parse("{\"object\":\"page\",\"entry\":[]}")).isEmpty();
    }

    static Stream<Arguments> malformedBodies() {
        String change = "{\"object\":\"page\",\"entry\":[{\"id\":\"1\",\"changes\":[%s]}]}";
        return Stream.of(
                Arguments.of("not JSON", "{\"object\":\"page\",", "not valid JSON"),
                Arguments.of("garbage", "hello", "not valid JSON"),
                Arguments.of("trailing garbage", "{\"object\":\"page\",\"entry\":[]} x", "not valid JSON"),
                Arguments.of("empty", "", "empty"),
                Arguments.of("blank", "  \n ", "empty"),
                Arguments.of("top-level array", "[{\"object\":\"page\"}]", "must be a JSON object"),
                Arguments.of("top-level string", "\"page\"", "must be a JSON object"),
                Arguments.of("no object", "{\"entry\":[]}", "no \"object\""),
                Arguments.of("entry missing", "{\"object\":\"page\"}", "\"entry\" must be an array"),
                Arguments.of("entry an object", "{\"object\":\"page\",\"entry\":{\"id\":\"1\"}}",
                        "\"entry\" must be an array"),
                Arguments.of("entry item not an object", "{\"object\":\"page\",\"entry\":[1]}",
                        "entry[0] must be an object"),
                Arguments.of("changes not an array", "{\"object\":\"page\",\"entry\":[{\"id\":\"1\",\"changes\":{}}]}",
                        "entry[0].changes must be an array"),
                Arguments.of("leadgen without value", change.formatted("{\"field\":\"leadgen\"}"),
                        "entry[0].changes[0] is a leadgen change without a \"value\""),
                Arguments.of("leadgen without leadgen_id",
                        change.formatted("{\"field\":\"leadgen\",\"value\":{\"page_id\":\"1\"}}"),
                        "entry[0].changes[0] is a leadgen change without \"leadgen_id\""),
                Arguments.of("blank leadgen_id",
                        change.formatted("{\"field\":\"leadgen\",\"value\":{\"leadgen_id\":\" \",\"page_id\":\"1\"}}"),
                        "without \"leadgen_id\""),
                Arguments.of("leadgen without any page id",
                        "{\"object\":\"page\",\"entry\":[{\"changes\":[{\"field\":\"leadgen\",\"value\":{\"leadgen_id\":\"9\"}}]}]}",
                        "neither \"value.page_id\" nor an entry \"id\""),
                Arguments.of("fractional leadgen_id",
                        change.formatted("{\"field\":\"leadgen\",\"value\":{\"leadgen_id\":1.2345678901234567E16,\"page_id\":\"1\"}}"),
                        "leadgen_id must be a string or an integer"),
                Arguments.of("huge page_id",
                        change.formatted("{\"field\":\"leadgen\",\"value\":{\"leadgen_id\":\"9\",\"page_id\":\""
                                + "1".repeat(3_000) + "\"}}"), "value.page_id is not a Meta id"),
                Arguments.of("huge entry id standing in for the page id",
                        "{\"object\":\"page\",\"entry\":[{\"id\":\"" + "1".repeat(3_000)
                                + "\",\"changes\":[{\"field\":\"leadgen\",\"value\":{\"leadgen_id\":\"9\"}}]}]}",
                        "entry[0].id is not a Meta id"),
                Arguments.of("page_id not digits",
                        change.formatted("{\"field\":\"leadgen\",\"value\":{\"leadgen_id\":\"9\",\"page_id\":\"page-1\"}}"),
                        "value.page_id is not a Meta id"),
                Arguments.of("leadgen_id not digits",
                        change.formatted("{\"field\":\"leadgen\",\"value\":{\"leadgen_id\":\"L\",\"page_id\":\"1\"}}"),
                        "value.leadgen_id is not a Meta id"),
                Arguments.of("huge numeric leadgen_id",
                        change.formatted("{\"field\":\"leadgen\",\"value\":{\"leadgen_id\":" + "9".repeat(100)
                                + ",\"page_id\":\"1\"}}"), "value.leadgen_id is not a Meta id"));
    }

    static Stream<Arguments> implausibleHints() {
        String change = "{\"object\":\"page\",\"entry\":[{\"id\":\"1\",\"changes\":[%s]}]}";
        return Stream.of(
                Arguments.of("form_id not digits",
                        change.formatted("{\"field\":\"leadgen\",\"value\":{\"leadgen_id\":\"9\",\"page_id\":\"1\","
                                + "\"form_id\":\"" + "x".repeat(5_000) + "\"}}"), "value.form_id is not a Meta id"),
                Arguments.of("ad_id negative",
                        change.formatted("{\"field\":\"leadgen\",\"value\":{\"leadgen_id\":\"9\",\"page_id\":\"1\",\"ad_id\":-5}}"),
                        "value.ad_id is not a Meta id"),
                Arguments.of("adgroup_id not digits",
                        change.formatted("{\"field\":\"leadgen\",\"value\":{\"leadgen_id\":\"9\",\"page_id\":\"1\",\"adgroup_id\":\"a b\"}}"),
                        "value.adgroup_id is not a Meta id"),
                Arguments.of("created_time after year 9999",
                        change.formatted("{\"field\":\"leadgen\",\"value\":{\"leadgen_id\":\"9\",\"page_id\":\"1\",\"created_time\":300000000000}}"),
                        "created_time is out of range"),
                Arguments.of("created_time before 1970",
                        change.formatted("{\"field\":\"leadgen\",\"value\":{\"leadgen_id\":\"9\",\"page_id\":\"1\",\"created_time\":-1}}"),
                        "created_time is out of range"),
                Arguments.of("created_time not unix seconds",
                        change.formatted("{\"field\":\"leadgen\",\"value\":{\"leadgen_id\":\"9\",\"page_id\":\"1\",\"created_time\":\"yesterday\"}}"),
                        "created_time must be unix seconds"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implausibleHints")
    void an_implausible_form_ad_or_time_hint_is_dropped_and_the_lead_kept(String name, String body, String ignored) {
        List<LeadNotice> notices = parse(body);

        assertThat(notices).singleElement().satisfies(n -> {
            assertThat(n.providerLeadId()).isEqualTo("9");
            assertThat(n.externalId()).isEqualTo("1");
            assertThat(n.formId()).isNull();
            assertThat(n.adId()).isNull();
            assertThat(n.createdTime()).isNull();
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void malformed(String name, String body, String message) {
        assertThatThrownBy(() -> parse(body))
                .isInstanceOf(MalformedPayloadException.class)
                .hasMessageContaining(message);
    }

    @Test
    void nullBodyIsMalformed() {
        assertThatThrownBy(() -> MetaWebhookParser.parse(null, mapper)).isInstanceOf(MalformedPayloadException.class);
    }

    @Test
    void a_broken_leadgen_change_or_entry_is_skipped_and_the_other_leads_of_the_batch_are_kept() {
        // One batch may carry the leads of several pages: refusing it would have Meta retry it for 36 hours and
        // then drop every lead in it.
        List<LeadNotice> notices = parse("""
                {"object":"page","entry":[
                  {"id":"1","changes":[
                    {"field":"leadgen","value":{"leadgen_id":"9001","page_id":"1"}},
                    {"field":"leadgen","value":{"page_id":"1"}},
                    {"field":"leadgen","value":{"leadgen_id":"9003","page_id":"page-1"}}]},
                  7,
                  {"id":"2","changes":{}},
                  {"id":"3","changes":[{"field":"leadgen","value":{"leadgen_id":"9004","page_id":"3"}}]}]}
                """);

        assertThat(notices).extracting(LeadNotice::externalId, LeadNotice::providerLeadId)
                .containsExactly(tuple("1", "9001"), tuple("3", "9004"));
    }

    @Test
    void a_batch_whose_every_leadgen_change_is_broken_is_malformed_naming_the_first() {
        assertThatThrownBy(() -> parse("""
                {"object":"page","entry":[{"id":"1","changes":[
                  {"field":"leadgen","value":{"page_id":"1"}}]},
                  {"id":"2","changes":[{"field":"leadgen","value":{"leadgen_id":"L","page_id":"2"}}]},
                  7]}
                """)).isInstanceOf(MalformedPayloadException.class).hasMessageContaining("entry[0].changes[0]");
    }
}
