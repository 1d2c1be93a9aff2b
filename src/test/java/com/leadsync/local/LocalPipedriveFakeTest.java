package com.leadsync.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The offline Pipedrive company: tokens, search after create, leads by person, person fields, OAuth refresh. */
class LocalPipedriveFakeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "http://localhost:8080/_local/pipedrive";
    private static final String TOKEN_URL = "http://localhost:8080/_local/pipedrive-oauth/oauth/token";
    private static final String[] TOKEN = {"x-api-token", "local-pipedrive-token"};
    private final MovableClock clock = new MovableClock(Instant.parse("2026-03-07T15:00:00Z"));
    private final LocalPipedriveFake pipedrive = new LocalPipedriveFake(Set.of("local-pipedrive-token"),
            Optional.of("local-client"), Optional.of("local-secret"), clock, JSON);

    private static JsonNode body(FakeReply reply) throws IOException {
        return JSON.readTree(reply.text());
    }

    private FakeReply call(Function<FakeRequest, FakeReply> route, FakeRequest req) {
        return pipedrive.authorized(req, route);
    }

    @Test
    void a_created_person_is_found_by_exact_email_and_its_lead_listed_by_person() throws IOException {
        FakeReply created = call(pipedrive::createPerson, FakeRequest.posting(API + "/api/v2/persons",
                "{\"name\":\"Ana\",\"emails\":[{\"value\":\"ana@example.com\",\"primary\":true,\"label\":\"work\"}]}",
                TOKEN));
        long id = body(created).path("data").path("id").asLong();
        FakeReply found = call(pipedrive::searchPersons, FakeRequest.to(API
                + "/api/v2/persons/search?term=ANA%40example.com&fields=email&exact_match=true", TOKEN));
        FakeReply lead = call(pipedrive::createLead, FakeRequest.posting(API + "/v1/leads",
                "{\"title\":\"Ana (meta_lead_ads lead) [LeadSync ld_1]\",\"person_id\":" + id + "}", TOKEN));
        FakeReply listed = call(pipedrive::listLeads, FakeRequest.to(API + "/v1/leads?person_id=" + id, TOKEN));

        assertThat(created.status()).isEqualTo(200);
        assertThat(body(found).path("data").path("items").path(0).path("item").path("id").asLong()).isEqualTo(id);
        assertThat(lead.status()).isEqualTo(201);
        assertThat(body(lead).path("data").path("id").asText()).hasSize(36);
        assertThat(body(listed).path("data")).hasSize(1);
        assertThat(body(listed).path("additional_data").path("pagination").path("more_items_in_collection")
                .asBoolean()).isFalse();
    }

    @Test
    void refusals_are_pipedrives_error_bodies() throws IOException {
        FakeReply unauthorized = call(pipedrive::personFields, FakeRequest.to(API + "/v1/personFields",
                "x-api-token", "other"));
        FakeReply nameless = call(pipedrive::createPerson, FakeRequest.posting(API + "/api/v2/persons", "{}", TOKEN));
        FakeReply orphan = call(pipedrive::createLead, FakeRequest.posting(API + "/v1/leads", "{\"title\":\"x\"}",
                TOKEN));

        assertThat(unauthorized.status()).isEqualTo(401);
        assertThat(body(unauthorized).path("success").asBoolean(true)).isFalse();
        assertThat(body(unauthorized).path("error").asText()).isEqualTo("unauthorized access");
        assertThat(nameless.status()).isEqualTo(400);
        assertThat(body(nameless).path("error").asText()).contains("Name must be given");
        assertThat(orphan.status()).isEqualTo(400);
    }

    @Test
    void person_fields_include_the_custom_budget_field() throws IOException {
        JsonNode fields = body(call(pipedrive::personFields, FakeRequest.to(API + "/v1/personFields", TOKEN)));
        assertThat(fields.path("data").findValuesAsText("key")).contains("name", "email", "phone",
                LocalPipedriveFake.CUSTOM_FIELD_KEY);
    }

    @Test
    void the_token_endpoint_rotates_the_refresh_token_and_its_access_token_works_for_an_hour() throws IOException {
        String basic = "Basic " + Base64.getEncoder().encodeToString("local-client:local-secret"
                .getBytes(StandardCharsets.UTF_8));
        FakeReply refreshed = pipedrive.token(FakeRequest.posting(TOKEN_URL,
                "grant_type=refresh_token&refresh_token=local-pipedrive-refresh-token", "Authorization", basic));
        JsonNode tokens = body(refreshed);
        String access = tokens.path("access_token").asText();
        FakeRequest withBearer = FakeRequest.to(API + "/v1/personFields", "Authorization", "Bearer " + access);

        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(tokens.path("refresh_token").asText()).startsWith("local-pipedrive-refresh-")
                .isNotEqualTo("local-pipedrive-refresh-token");
        assertThat(tokens.path("expires_in").asLong()).isEqualTo(3600);
        assertThat(tokens.path("api_domain").asText()).isEqualTo(API);
        assertThat(call(pipedrive::personFields, withBearer).status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(61));
        assertThat(call(pipedrive::personFields, withBearer).status()).isEqualTo(401);

        FakeReply dead = pipedrive.token(FakeRequest.posting(TOKEN_URL,
                "grant_type=refresh_token&refresh_token=someone-elses", "Authorization", basic));
        assertThat(dead.status()).isEqualTo(400);
        assertThat(body(dead).path("error").asText()).isEqualTo("invalid_grant");
        assertThat(pipedrive.token(FakeRequest.posting(TOKEN_URL,
                "grant_type=refresh_token&refresh_token=local-pipedrive-refresh-token")).status()).isEqualTo(401);
    }
}
