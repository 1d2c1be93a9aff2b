package com.leadsync.delivery.pipedrive;

import static com.leadsync.api.ApiTestSupport.asJson;
import static com.leadsync.api.ApiTestSupport.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.leadsync.crypto.Sha256;
import com.leadsync.delivery.CheckReport;
import com.leadsync.delivery.CrmLinks;
import com.leadsync.delivery.CrmTokens;
import com.leadsync.delivery.DeliveryContext;
import com.leadsync.delivery.DeliveryException;
import com.leadsync.delivery.DeliveryReceipt;
import com.leadsync.delivery.DeliveryTarget;
import com.leadsync.delivery.Destinations;
import com.leadsync.delivery.DestinationTestLeads;
import com.leadsync.delivery.OutboundHttp;
import com.leadsync.delivery.UrlPolicy;
import com.leadsync.model.StoredLead;
import com.leadsync.testing.PassThroughCrmTokens;
import com.leadsync.testing.PipedriveFake;
import com.leadsync.testing.Scenario;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Pipedrive destination against an in-memory Pipedrive ({@link PipedriveFake}) and the real link table on the
 * DynamoDB emulator, so that "created once" is tested with the conditional writes that provide it.
 */
@QuarkusTest
class PipedriveDestinationTest {

    private static final String API_TOKEN = "0123456789abcdef0123456789abcdef01234567";
    private static final DeliveryContext CONTEXT = new DeliveryContext("msg_ld_1_dst_1_0");

    @Inject
    CrmLinks links;
    @Inject
    OutboundHttp http;
    @Inject
    UrlPolicy urls;
    @Inject
    ObjectMapper json;
    @Inject
    Clock clock;
    @Inject
    Destinations destinations;
    @TestHTTPResource("/_local/pipedrive")
    URL localPipedrive;

    private PipedriveFake pipedrive;
    private PassThroughCrmTokens tokens;
    private PipedriveDestination destination;
    private String destinationId;

    @BeforeEach
    void start() {
        pipedrive = new PipedriveFake().accept(API_TOKEN);
        tokens = new PassThroughCrmTokens();
        destination = destinationWith(tokens);
        // Each test its own destination, so that the keys it links are its own on the shared emulator.
        destinationId = "dst_pd_" + UUID.randomUUID();
    }

    @AfterEach
    void stop() {
        pipedrive.close();
    }

    private PipedriveDestination destinationWith(CrmTokens crmTokens) {
        return new PipedriveDestination(crmTokens, links, http, urls, json, clock, pipedrive.baseUrl(),
                Duration.ofSeconds(20));
    }

    private DeliveryTarget target(Map<String, String> config, Map<String, String> mapping) {
        return new DeliveryTarget(destinationId, "acc_1", "pipedrive", "Pipedrive", true, config, mapping);
    }

    private DeliveryTarget apiTokenTarget() {
        return target(Map.of("apiToken", API_TOKEN), Map.of());
    }

    private static StoredLead lead(String leadId, String email) {
        StoredLead l = DestinationTestLeads.lead();
        return new StoredLead(leadId, l.accountId(), l.providerType(), l.providerLeadId(), email, l.firstName(),
                l.lastName(), l.fullName(), l.phoneNumber(), l.company(), l.rawFieldData(), l.customFields(),
                l.receivedAt(), l.formId(), l.adId(), l.campaignId(), l.isTest(), l.storedAt());
    }

    private static String newLeadId() {
        return "ld_" + UUID.randomUUID().toString().replace("-", "");
    }

    private List<LoggedRequest> posts(String path) {
        return pipedrive.server().getAllServeEvents().stream().map(e -> e.getRequest())
                .filter(r -> r.getMethod().value().equals("POST") && r.getUrl().equals(PipedriveFake.PREFIX + path))
                .map(r -> (LoggedRequest) r).toList();
    }

    @Test
    void a_new_lead_creates_its_person_its_organization_and_one_lead_linked_to_both() throws Exception {
        StoredLead lead = DestinationTestLeads.lead();
        DeliveryTarget target = target(Map.of("apiToken", API_TOKEN, "ownerId", "7"),
                Map.of("customFields.budget", PipedriveFake.CUSTOM_BUDGET_KEY));

        DeliveryReceipt receipt = destination.send(target, lead, CONTEXT);

        assertThat(pipedrive.organizations()).singleElement().satisfies(o -> {
            assertThat(o.path("name").asText()).isEqualTo("Acme Corp");
            assertThat(o.path("owner_id").asLong()).isEqualTo(7);
        });
        long orgId = pipedrive.organizations().get(0).path("id").asLong();
        ObjectNode person = pipedrive.persons().get(0);
        assertThat(pipedrive.persons()).hasSize(1);
        assertThat(person.path("name").asText()).isEqualTo("Ana García López");
        assertThat(person.path("emails").toString())
                .isEqualTo("[{\"value\":\"ana@example.com\",\"primary\":true,\"label\":\"work\"}]");
        assertThat(person.path("phones").path(0).path("value").asText()).isEqualTo("+14155550123");
        assertThat(person.path("org_id").asLong()).isEqualTo(orgId);
        assertThat(person.path("owner_id").asLong()).isEqualTo(7);
        assertThat(person.path("custom_fields").path(PipedriveFake.CUSTOM_BUDGET_KEY).asText()).isEqualTo("5000");
        ObjectNode created = pipedrive.leads().get(0);
        assertThat(pipedrive.leads()).hasSize(1);
        assertThat(created.path("title").asText())
                .isEqualTo("Ana García López (meta_lead_ads lead) [LeadSync " + lead.leadId() + "]");
        assertThat(created.path("person_id").asLong()).isEqualTo(person.path("id").asLong());
        assertThat(created.path("organization_id").asLong()).isEqualTo(orgId);
        assertThat(created.path("owner_id").asLong()).isEqualTo(7);
        assertThat(receipt.httpStatus()).isEqualTo(201);
        assertThat(receipt.detail()).contains("Pipedrive lead " + created.path("id").asText() + " created",
                "person " + person.path("id").asLong(), "organization " + orgId);
        // Every call carried the API token header, none a bearer.
        assertThat(pipedrive.server().getAllServeEvents()).allSatisfy(e -> {
            assertThat(e.getRequest().getHeader("x-api-token")).isEqualTo(API_TOKEN);
            assertThat(e.getRequest().containsHeader("Authorization")).isFalse();
        });
    }

    @Test
    void a_person_found_by_exact_email_gets_only_a_new_lead() throws Exception {
        long existing = pipedrive.addPerson("Ana G.", "ana@example.com");

        destination.send(apiTokenTarget(), DestinationTestLeads.lead(), CONTEXT);

        assertThat(pipedrive.calls("POST", "/api/v2/persons")).isZero();
        assertThat(pipedrive.persons()).hasSize(1);
        assertThat(pipedrive.leads()).singleElement()
                .satisfies(l -> assertThat(l.path("person_id").asLong()).isEqualTo(existing));
        LoggedRequest search = pipedrive.server().getAllServeEvents().stream().map(e -> e.getRequest())
                .filter(r -> r.getUrl().contains("/persons/search")).map(r -> (LoggedRequest) r).findFirst()
                .orElseThrow();
        assertThat(search.queryParameter("term").firstValue()).isEqualTo("ana@example.com");
        assertThat(search.queryParameter("fields").firstValue()).isEqualTo("email");
        assertThat(search.queryParameter("exact_match").firstValue()).isEqualTo("true");
    }

    @Test
    void two_leads_with_one_email_share_one_person_and_get_a_lead_each() throws Exception {
        destination.send(apiTokenTarget(), lead(newLeadId(), "ana@example.com"), CONTEXT);
        destination.send(apiTokenTarget(), lead(newLeadId(), "ANA@example.com"), CONTEXT);

        assertThat(pipedrive.persons()).hasSize(1);
        assertThat(pipedrive.organizations()).hasSize(1);
        assertThat(pipedrive.leads()).hasSize(2).extracting(l -> l.path("person_id").asLong())
                .containsOnly(pipedrive.persons().get(0).path("id").asLong());
        // The second lead's person and organization came from our map, not from a second search.
        assertThat(pipedrive.calls("GET", "/api/v2/persons/search")).isEqualTo(1);
        assertThat(pipedrive.calls("GET", "/api/v2/organizations/search")).isEqualTo(1);
    }

    @Test
    void delivering_a_lead_again_creates_nothing_and_calls_nothing() throws Exception {
        StoredLead lead = DestinationTestLeads.lead();
        DeliveryReceipt first = destination.send(apiTokenTarget(), lead, CONTEXT);
        int served = pipedrive.server().getAllServeEvents().size();

        DeliveryReceipt again = destination.send(apiTokenTarget(), lead, new DeliveryContext("msg_ld_1_dst_1_1"));

        assertThat(pipedrive.server().getAllServeEvents()).hasSize(served);
        assertThat(pipedrive.leads()).hasSize(1);
        assertThat(again.httpStatus()).isEqualTo(200);
        assertThat(again.detail()).isEqualTo("Pipedrive lead " + pipedrive.leads().get(0).path("id").asText()
                + " already created");
        assertThat(first.httpStatus()).isEqualTo(201);
    }

    @Test
    void twenty_concurrent_deliveries_of_one_lead_create_one_person_and_one_lead() throws Exception {
        pipedrive.delayCreates(150);
        StoredLead lead = DestinationTestLeads.lead();
        List<DeliveryReceipt> receipts = concurrently(20, i -> destination.send(apiTokenTarget(), lead, CONTEXT));

        assertThat(pipedrive.persons()).hasSize(1);
        assertThat(pipedrive.organizations()).hasSize(1);
        assertThat(pipedrive.leads()).hasSize(1);
        assertThat(receipts).extracting(DeliveryReceipt::httpStatus).containsOnlyOnce(201);
        String leadId = pipedrive.leads().get(0).path("id").asText();
        assertThat(receipts).allSatisfy(r -> assertThat(r.detail()).contains(leadId));
    }

    @Test
    void twenty_concurrent_leads_with_one_email_create_one_person_and_twenty_leads() throws Exception {
        pipedrive.delayCreates(100);
        List<StoredLead> leads = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            leads.add(lead(newLeadId(), "ana@example.com"));
        }
        concurrently(20, i -> destination.send(apiTokenTarget(), leads.get(i), CONTEXT));

        assertThat(pipedrive.persons()).hasSize(1);
        assertThat(pipedrive.organizations()).hasSize(1);
        assertThat(pipedrive.leads()).hasSize(20);
    }

    @Test
    void a_person_whose_answer_was_lost_is_found_on_the_retry_and_not_created_again() throws Exception {
        pipedrive.loseAnswerOfNext("POST", "/api/v2/persons");
        StoredLead lead = DestinationTestLeads.lead();

        DeliveryException lost = catchThrowableOfType(DeliveryException.class,
                () -> destination.send(apiTokenTarget(), lead, CONTEXT));
        assertThat(lost.retryable()).isTrue();
        assertThat(lost.httpStatus()).isEqualTo(504);
        assertThat(pipedrive.persons()).hasSize(1);
        assertThat(pipedrive.leads()).isEmpty();

        destination.send(apiTokenTarget(), lead, CONTEXT);

        assertThat(pipedrive.persons()).hasSize(1);
        assertThat(pipedrive.calls("POST", "/api/v2/persons")).isEqualTo(1);
        assertThat(pipedrive.leads()).singleElement().satisfies(l -> assertThat(l.path("person_id").asLong())
                .isEqualTo(pipedrive.persons().get(0).path("id").asLong()));
    }

    @Test
    void a_lead_whose_answer_was_lost_is_found_by_its_title_on_the_retry_and_not_created_again() throws Exception {
        pipedrive.loseAnswerOfNext("POST", "/v1/leads");
        StoredLead lead = DestinationTestLeads.lead();

        assertThat(catchThrowableOfType(DeliveryException.class,
                () -> destination.send(apiTokenTarget(), lead, CONTEXT)).retryable()).isTrue();
        assertThat(pipedrive.leads()).hasSize(1);

        DeliveryReceipt retry = destination.send(apiTokenTarget(), lead, CONTEXT);

        assertThat(pipedrive.calls("POST", "/v1/leads")).isEqualTo(1);
        assertThat(pipedrive.calls("GET", "/v1/leads")).isEqualTo(1);
        assertThat(pipedrive.leads()).hasSize(1);
        assertThat(retry.detail()).contains(pipedrive.leads().get(0).path("id").asText(), "already created");
    }

    @Test
    void a_delivery_that_crashed_after_creating_the_person_and_the_lead_leaves_them_found_not_recreated()
            throws Exception {
        StoredLead lead = DestinationTestLeads.lead();
        long person = pipedrive.addPerson("Ana García López", "ana@example.com");
        String created = pipedrive.addLead("Ana García López (meta_lead_ads lead) "
                + PipedriveDestination.titleMarker(lead), person);
        pipedrive.addLead("Ana García López (meta_lead_ads lead) [LeadSync ld_other]", person);
        // The crashed delivery's claims, long run out: it created both records, then died before recording them.
        Instant then = clock.instant().minus(Duration.ofMinutes(10));
        String prefix = "dst#" + destinationId + "#";
        assertThat(links.claim(prefix + "lead#" + lead.leadId(), "crashed", then, CreateOnce.LEASE))
                .isEqualTo(new CrmLinks.Taken(false));
        assertThat(links.claim(prefix + "person#" + Sha256.hex("ana@example.com"), "crashed", then, CreateOnce.LEASE))
                .isEqualTo(new CrmLinks.Taken(false));

        DeliveryReceipt receipt = destination.send(apiTokenTarget(), lead, CONTEXT);

        assertThat(pipedrive.calls("POST", "/api/v2/persons")).isZero();
        assertThat(pipedrive.calls("POST", "/v1/leads")).isZero();
        assertThat(receipt.detail()).isEqualTo("Pipedrive lead " + created + " already created for person " + person
                + ", organization " + pipedrive.organizations().get(0).path("id").asLong());
        assertThat(links.claim(prefix + "lead#" + lead.leadId(), "later", clock.instant(), CreateOnce.LEASE))
                .isEqualTo(new CrmLinks.Linked(created));
    }

    @Test
    void a_delivery_finding_the_lead_claimed_by_a_live_one_waits_a_bounded_while_then_is_retried() throws Exception {
        StoredLead lead = DestinationTestLeads.lead();
        links.claim("dst#" + destinationId + "#lead#" + lead.leadId(), "alive", clock.instant(), CreateOnce.LEASE);
        PipedriveDestination impatient = new PipedriveDestination(tokens, links, http, urls, json, clock,
                pipedrive.baseUrl(), Duration.ofMillis(300));

        DeliveryException e = catchThrowableOfType(DeliveryException.class,
                () -> impatient.send(apiTokenTarget(), lead, CONTEXT));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("another delivery is creating this lead");
        assertThat(pipedrive.server().getAllServeEvents()).isEmpty();
    }

    @Test
    void a_lead_without_email_gets_a_person_of_its_own_once() throws Exception {
        StoredLead lead = DestinationTestLeads.withoutEmail();

        destination.send(apiTokenTarget(), lead, CONTEXT);
        destination.send(apiTokenTarget(), lead, CONTEXT);

        assertThat(pipedrive.calls("GET", "/api/v2/persons/search")).isZero();
        assertThat(pipedrive.persons()).singleElement().satisfies(p -> {
            assertThat(p.path("name").asText()).isEqualTo("Ana García López");
            assertThat(p.has("emails")).isFalse();
        });
        assertThat(pipedrive.organizations()).isEmpty();
        assertThat(pipedrive.leads()).singleElement()
                .satisfies(l -> assertThat(l.has("organization_id")).isFalse());
    }

    @Test
    void a_person_without_email_whose_answer_was_lost_is_found_on_the_retry_and_an_older_namesake_is_left_alone()
            throws Exception {
        StoredLead lead = DestinationTestLeads.withoutEmail();
        long namesake = pipedrive.addPersonWithoutEmail("Ana García López", clock.instant().minus(Duration.ofDays(1)));
        pipedrive.loseAnswerOfNext("POST", "/api/v2/persons");

        DeliveryException lost = catchThrowableOfType(DeliveryException.class,
                () -> destination.send(apiTokenTarget(), lead, CONTEXT));
        assertThat(lost.retryable()).isTrue();
        assertThat(pipedrive.persons()).hasSize(2);

        destination.send(apiTokenTarget(), lead, CONTEXT);

        assertThat(pipedrive.calls("POST", "/api/v2/persons")).isEqualTo(1);
        assertThat(pipedrive.calls("GET", "/api/v2/persons/search")).isEqualTo(1);
        long created = pipedrive.persons().stream().mapToLong(p -> p.path("id").asLong()).filter(id -> id != namesake)
                .findFirst().orElseThrow();
        assertThat(pipedrive.persons()).hasSize(2);
        assertThat(pipedrive.leads()).singleElement()
                .satisfies(l -> assertThat(l.path("person_id").asLong()).isEqualTo(created));
    }

    @Test
    void a_first_try_for_a_lead_without_email_never_takes_a_namesake_however_recent() throws Exception {
        StoredLead lead = DestinationTestLeads.withoutEmail();
        long namesake = pipedrive.addPersonWithoutEmail("Ana García López", clock.instant());

        destination.send(apiTokenTarget(), lead, CONTEXT);

        assertThat(pipedrive.persons()).hasSize(2);
        assertThat(pipedrive.leads()).singleElement()
                .satisfies(l -> assertThat(l.path("person_id").asLong()).isNotEqualTo(namesake));
    }

    @Test
    void an_oauth_token_rejected_with_401_is_refreshed_once_and_the_lead_delivered_with_the_new_one()
            throws Exception {
        pipedrive.accept("oauth-access-2");
        tokens.refreshWith(old -> "oauth-access-2");
        DeliveryTarget target = target(Map.of("accessToken", "oauth-access-1", "refreshToken", "oauth-refresh-1",
                "apiDomain", pipedrive.baseUrl()), Map.of());
        PipedriveDestination viaApiDomain = new PipedriveDestination(tokens, links, http, urls, json, clock,
                "https://api.pipedrive.invalid", Duration.ofSeconds(20));

        DeliveryReceipt receipt = viaApiDomain.send(target, DestinationTestLeads.lead(), CONTEXT);

        assertThat(tokens.refreshes()).isEqualTo(1);
        assertThat(receipt.httpStatus()).isEqualTo(201);
        assertThat(pipedrive.leads()).hasSize(1);
        assertThat(pipedrive.server().getAllServeEvents()).extracting(e -> e.getRequest().getHeader("Authorization"))
                .contains("Bearer oauth-access-1", "Bearer oauth-access-2").doesNotContainNull();
    }

    @Test
    void a_rejected_api_token_is_unauthorized_for_the_credentials_component_and_handed_over_as_an_access_token()
            throws Exception {
        List<DeliveryTarget> handed = new ArrayList<>();
        CrmTokens once = new CrmTokens() {
            @Override
            public <T> T withToken(DeliveryTarget t, TokenCall<T> call) throws DeliveryException {
                handed.add(t);
                return call.call(t.config("accessToken"));
            }
        };
        DeliveryTarget target = target(Map.of("apiToken", "regenerated-token"), Map.of());

        DeliveryException e = catchThrowableOfType(DeliveryException.class,
                () -> destinationWith(once).send(target, DestinationTestLeads.lead(), CONTEXT));

        assertThat(e.kind()).isEqualTo(DeliveryException.Kind.UNAUTHORIZED);
        assertThat(e.getMessage()).contains("401", "unauthorized access");
        assertThat(handed).singleElement().satisfies(t -> {
            assertThat(t.targetId()).isEqualTo(destinationId);
            assertThat(t.config("accessToken")).isEqualTo("regenerated-token");
            assertThat(t.config("refreshToken")).isNull();
        });
    }

    @Test
    void a_429_is_rate_limited_for_as_long_as_the_reset_header_says_and_the_retry_delivers() throws Exception {
        pipedrive.failNext("GET", "/api/v2/persons/search", 429, PipedriveFake.rateLimitBody(),
                Map.of("x-ratelimit-limit", "10", "x-ratelimit-remaining", "0", "x-ratelimit-reset", "2"));
        StoredLead lead = DestinationTestLeads.lead();

        DeliveryException e = catchThrowableOfType(DeliveryException.class,
                () -> destination.send(apiTokenTarget(), lead, CONTEXT));

        assertThat(e.kind()).isEqualTo(DeliveryException.Kind.RATE_LIMITED);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(e.getMessage()).contains("429", "Request over limit");
        destination.send(apiTokenTarget(), lead, CONTEXT);
        assertThat(pipedrive.persons()).hasSize(1);
        assertThat(pipedrive.leads()).hasSize(1);
    }

    @Test
    void a_429_with_the_daily_budget_spent_waits_an_hour_and_retry_after_wins_over_the_window() throws Exception {
        pipedrive.failNext("POST", "/api/v2/organizations", 429, PipedriveFake.rateLimitBody(),
                Map.of("x-ratelimit-reset", "1", "x-daily-requests-left", "0"));
        pipedrive.failNext("POST", "/api/v2/organizations", 429, PipedriveFake.rateLimitBody(),
                Map.of("Retry-After", "7", "x-ratelimit-reset", "1"));
        StoredLead lead = DestinationTestLeads.lead();

        DeliveryException spent = catchThrowableOfType(DeliveryException.class,
                () -> destination.send(apiTokenTarget(), lead, CONTEXT));
        assertThat(spent.retryAfter()).isEqualTo(Duration.ofHours(1));
        assertThat(spent.destinationPaused()).as("the whole destination waits for the budget").isTrue();
        DeliveryException burst = catchThrowableOfType(DeliveryException.class,
                () -> destination.send(apiTokenTarget(), lead, CONTEXT));
        assertThat(burst.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(burst.destinationPaused()).isFalse();
    }

    @Test
    void a_5xx_is_retryable_and_the_retry_creates_everything_once() throws Exception {
        pipedrive.failNext("POST", "/v1/leads", 503,
                "{\"success\":false,\"error\":\"Service Unavailable\",\"errorCode\":503}", Map.of("Retry-After", "3"));
        StoredLead lead = DestinationTestLeads.lead();

        DeliveryException e = catchThrowableOfType(DeliveryException.class,
                () -> destination.send(apiTokenTarget(), lead, CONTEXT));
        assertThat(e.kind()).isEqualTo(DeliveryException.Kind.RETRYABLE);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(3));

        destination.send(apiTokenTarget(), lead, CONTEXT);
        assertThat(pipedrive.persons()).hasSize(1);
        assertThat(pipedrive.organizations()).hasSize(1);
        assertThat(pipedrive.leads()).hasSize(1);
    }

    @Test
    void a_validation_400_is_permanent_with_pipedrives_error_and_error_info() throws Exception {
        pipedrive.failNext("POST", "/api/v2/persons", 400, "{\"success\":false,\"error\":\"Validation failed: "
                + "custom_fields: Field a5f1 must be a number\",\"code\":\"ERR_SCHEMA_VALIDATION_FAILED\","
                + "\"error_info\":\"Please check developers.pipedrive.com\"}", Map.of());

        DeliveryException e = catchThrowableOfType(DeliveryException.class,
                () -> destination.send(apiTokenTarget(), DestinationTestLeads.lead(), CONTEXT));

        assertThat(e.kind()).isEqualTo(DeliveryException.Kind.PERMANENT);
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("Pipedrive create person: 400: Validation failed: custom_fields: Field "
                + "a5f1 must be a number (Please check developers.pipedrive.com)");
        assertThat(pipedrive.leads()).isEmpty();
    }

    @Test
    void a_feature_capping_403_is_permanent() throws Exception {
        pipedrive.failNext("POST", "/v1/leads", 403, PipedriveFake.featureCappingBody(), Map.of());

        DeliveryException e = catchThrowableOfType(DeliveryException.class,
                () -> destination.send(apiTokenTarget(), DestinationTestLeads.lead(), CONTEXT));

        assertThat(e.kind()).isEqualTo(DeliveryException.Kind.PERMANENT);
        assertThat(e.getMessage()).contains("403", "You have reached the limit of leads for your plan", "plan");
    }

    @Test
    void the_check_names_mapped_fields_pipedrive_lacks_and_creates_nothing() throws Exception {
        Map<String, String> mapping = new HashMap<>();
        mapping.put("customFields.budget", PipedriveFake.CUSTOM_BUDGET_KEY);
        mapping.put("customFields.city", "ffffffffffffffffffffffffffffffffffffffff");
        mapping.put("fullName", "name");
        mapping.put("customFields.zip_code", "Budget"); // a field's display name is not its key

        CheckReport report = destination.check(target(Map.of("apiToken", API_TOKEN), mapping));
        CheckReport clean = destination.check(target(Map.of("apiToken", API_TOKEN),
                Map.of("customFields.budget", PipedriveFake.CUSTOM_BUDGET_KEY)));

        assertThat(report.ok()).isFalse();
        assertThat(report.unknownFields()).containsExactly("Budget", "ffffffffffffffffffffffffffffffffffffffff");
        assertThat(report.message()).contains("Pipedrive", "Budget");
        assertThat(clean.ok()).isTrue();
        assertThat(pipedrive.server().getAllServeEvents()).allSatisfy(e -> {
            assertThat(e.getRequest().getMethod().value()).isEqualTo("GET");
            assertThat(e.getRequest().getUrl()).startsWith(PipedriveFake.PREFIX + "/v1/personFields");
        });
        assertThat(catchThrowableOfType(DeliveryException.class,
                () -> destination.check(target(Map.of("apiToken", "wrong"), Map.of()))).kind())
                .isEqualTo(DeliveryException.Kind.PERMANENT); // the double's needs_reauth for a dead API token
    }

    @Test
    void config_problems_are_sentences_and_the_pace_is_the_burst_window() {
        assertThat(destination.validate(target(Map.of(), Map.of()))).singleElement().asString()
                .contains("config.apiToken", "config.accessToken");
        assertThat(destination.validate(target(Map.of("apiToken", "a", "accessToken", "b"), Map.of())))
                .singleElement().asString().contains("exclude each other");
        assertThat(destination.validate(target(Map.of("refreshToken", "r"), Map.of()))).isNotEmpty();
        assertThat(destination.validate(target(Map.of("accessToken", "a b", "apiDomain", "acme", "ownerId", "x7"),
                Map.of()))).hasSize(3);
        assertThat(destination.validate(target(Map.of("accessToken", "a", "refreshToken", "r",
                "apiDomain", "https://acme.pipedrive.com", "ownerId", "7"), Map.of()))).isEmpty();
        assertThat(destination.validate(target(Map.of("apiToken", "t"), Map.of("customFields.city", "City",
                "customFields.budget", PipedriveFake.CUSTOM_BUDGET_KEY, "company", "org"))))
                .singleElement().asString().contains("'City' is not a Pipedrive person field");
        assertThat(destination.secretKeys()).containsExactlyInAnyOrder("apiToken", "accessToken", "refreshToken");
        assertThat(destination.pace(apiTokenTarget()).requests()).isEqualTo(20);
        assertThat(destination.pace(apiTokenTarget()).window()).isEqualTo(Duration.ofSeconds(2));
        assertThat(destination.pace(apiTokenTarget()).requestsPerSend()).isEqualTo(5);
        assertThat(destinations.find("pipedrive")).get().isInstanceOf(PipedriveDestination.class);
    }

    @Test
    void local_modes_pipedrive_takes_a_lead_once_with_the_local_api_token() throws Exception {
        PipedriveDestination local = new PipedriveDestination(tokens, links, http, urls, json, clock,
                localPipedrive.toString(), Duration.ofSeconds(20));
        DeliveryTarget target = target(Map.of("apiToken", "local-pipedrive-token"), Map.of());
        StoredLead lead = lead(newLeadId(), "local." + UUID.randomUUID() + "@example.com");

        DeliveryReceipt first = local.send(target, lead, CONTEXT);
        DeliveryReceipt again = local.send(target, lead, CONTEXT);

        String personId = first.detail().replaceAll(".* for person ([0-9]+).*", "$1");
        HttpResponse<String> listed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(localPipedrive + "/v1/leads?person_id=" + personId))
                .header("x-api-token", "local-pipedrive-token").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(first.httpStatus()).isEqualTo(201);
        assertThat(again.httpStatus()).isEqualTo(200);
        assertThat(json.readTree(listed.body()).path("data")).singleElement().satisfies(l -> assertThat(
                l.path("title").asText()).endsWith(PipedriveDestination.titleMarker(lead)));
    }

    @Test
    void the_api_creates_a_pipedrive_destination_hiding_its_secrets_and_refuses_a_bad_config() {
        Scenario s = Scenario.withMetaPage();

        Response created = asJson(s.apiKey, Map.of("type", "pipedrive", "name", "Pipedrive", "config",
                Map.of("accessToken", "oauth-secret-access", "refreshToken", "oauth-secret-refresh",
                        "apiDomain", "https://acme.pipedrive.com", "ownerId", "7"))).post("/crm/destinations");
        Response both = asJson(s.apiKey, Map.of("type", "pipedrive", "name", "Both", "config",
                Map.of("apiToken", "t", "accessToken", "a"))).post("/crm/destinations");

        assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
        assertThat(created.asString()).doesNotContain("oauth-secret-");
        assertThat(created.jsonPath().getList("secretsSet", String.class))
                .containsExactlyInAnyOrder("accessToken", "refreshToken");
        assertThat(created.jsonPath().getMap("config")).containsOnlyKeys("apiDomain", "ownerId");
        assertThat(assertError(both, 422).path("message").asText()).contains("exclude each other");
    }

    @Test
    void the_api_refuses_a_rate_limit_that_cannot_hold_two_deliveries_of_five_calls_each() {
        Scenario s = Scenario.withMetaPage();

        Response tight = asJson(s.apiKey, Map.of("type", "pipedrive", "name", "Tight", "config",
                Map.of("apiToken", API_TOKEN, "rateLimit", "9/2s"))).post("/crm/destinations");
        Response enough = asJson(s.apiKey, Map.of("type", "pipedrive", "name", "Enough", "config",
                Map.of("apiToken", API_TOKEN, "rateLimit", "10/2s"))).post("/crm/destinations");

        assertThat(assertError(tight, 422).path("message").asText()).isEqualTo("config.rateLimit must allow at least"
                + " 10 requests per window: one delivery to pipedrive makes up to 5 calls");
        assertThat(enough.statusCode()).as(enough.asString()).isEqualTo(201);
    }

    @FunctionalInterface
    private interface Delivery {
        DeliveryReceipt deliver(int i) throws Exception;
    }

    private static List<DeliveryReceipt> concurrently(int n, Delivery delivery) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CyclicBarrier start = new CyclicBarrier(n);
            List<Future<DeliveryReceipt>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return delivery.deliver(index);
                }));
            }
            List<DeliveryReceipt> out = new ArrayList<>();
            for (Future<DeliveryReceipt> f : futures) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
