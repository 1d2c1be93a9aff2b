package com.leadsync.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.leadsync.testing.Chromium.testId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.ingest.IngestMessage;
import com.leadsync.lead.LeadIdentity;
import com.leadsync.local.LocalInfrastructure;
import com.leadsync.model.ProviderType;
import com.leadsync.testing.Chromium;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.HubSpotOAuthFake;
import com.leadsync.testing.MetaListingFake;
import com.leadsync.testing.MetaOAuthFake;
import com.leadsync.testing.OAuthClickThrough;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Scenario;
import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Contract §11 in headless Chromium, as a person uses the panel: local mode's wiring (queue pumps on), leads sent
 * by signed webhook, everything read and done through the page. Screenshots go to {@code target/screenshots/}.
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class AdminPanelBrowserTest {

    @Inject
    SqsClient sqs;
    @Inject
    LocalInfrastructure infrastructure;
    @Inject
    ObjectMapper mapper;

    /** One browser for the class (each test starts from empty storage and cookies: {@link Chromium#reset}). */
    private static Chromium shared;
    private Chromium browser;

    @BeforeEach
    void open() {
        Chromium.assumeInstalled();
        if (shared == null) {
            shared = Chromium.start(1280, 900);
        }
        browser = shared;
        browser.reset(TestHTTPResourceManager.getUri(), 1280, 900);
    }

    @AfterAll
    static void close() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    @Test
    void a_bad_key_shows_the_api_message_and_a_good_one_lists_the_accounts_leads_as_the_api_does() {
        Scenario s = Scenario.withMetaPage();
        List<String> ids = sendLeads(s, 3);
        openPanel();
        signIn("lsk_not-a-key");
        WebElement banner = browser.byTestId("error-banner");
        assertThat(banner.getText()).contains("401");
        assertThat(browser.driver.findElements(testId("lead-row"))).isEmpty();
        browser.screenshot("sign-in-refused");

        signIn(s.apiKey);
        List<WebElement> rows = browser.until(d -> {
            List<WebElement> r = d.findElements(testId("lead-row"));
            return r.size() == ids.size() ? r : null;
        });
        List<String> apiOrder = JsonPath.from(s.listLeads().then().statusCode(200).extract().asString())
                .getList("items.leadId");
        assertThat(rows.stream().map(r -> r.getAttribute("data-lead-id")).toList()).isEqualTo(apiOrder)
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(rows.get(0).getText()).contains("Jane Doe").contains("meta_lead_ads");
        assertThat(browser.driver.findElement(testId("error-banner")).isDisplayed()).isFalse();
        browser.screenshot("leads");
    }

    @Test
    void the_key_lives_in_session_storage_only_and_sign_out_forgets_it() {
        Scenario s = Scenario.withMetaPage();
        openPanel();
        signIn(s.apiKey);
        browser.byTestId("nav-leads");
        assertThat(browser.script("return sessionStorage.getItem('leadsync.apiKey')")).isEqualTo(s.apiKey);
        assertThat(browser.script("return localStorage.length")).isEqualTo(0L);
        assertThat(browser.driver.manage().getCookies()).isEmpty();
        assertThat(browser.driver.getCurrentUrl()).doesNotContain(s.apiKey);

        browser.byTestId("logout").click();
        browser.byTestId("login-key");
        assertThat(browser.script("return sessionStorage.length")).isEqualTo(0L);
        browser.driver.navigate().refresh();
        browser.byTestId("login-key");
        assertThat(browser.driver.findElements(testId("nav-leads")).stream().filter(WebElement::isDisplayed))
                .isEmpty();
    }

    @Test
    void a_lead_page_shows_its_data_and_deliveries_and_retry_turns_a_failed_delivery_delivered_without_reload() {
        Scenario s = Scenario.withMetaPage();
        String crm = "/admin-crm/" + UUID.randomUUID();
        Fakes.server().stubFor(post(urlEqualTo(crm)).willReturn(aResponse().withStatus(503)
                .withBody("{\"error\":\"maintenance\"}")));
        s.addHttpCrm(crm);
        String leadId = sendLeads(s, 1).get(0);

        openPanel();
        signIn(s.apiKey);
        browser.byTestId("lead-row").findElement(By.tagName("a")).click();
        WebElement detail = browser.byTestId("lead-detail");
        assertThat(detail.getText()).contains("jane").contains("Acme Inc").contains("$5k-$10k").contains(leadId);
        // Test timings: three quick tries, then three scheduled retries a second apart, then failed. The page shows
        // the state it loaded; it is reloaded (by navigation, as a person would) until the delivery has failed.
        await().atMost(Duration.ofSeconds(40)).until(() -> "failed".equals(
                JsonPath.from(s.getLead(leadId).asString()).getString("deliveries[0].status")));
        browser.driver.navigate().refresh();
        browser.until(d -> "failed".equals(d.findElement(testId("delivery-status")).getText()));
        assertThat(browser.byTestId("delivery-row").getText()).contains("503").contains("maintenance");
        browser.script("arguments[0].scrollIntoView()", browser.byTestId("delivery-row"));
        browser.screenshot("lead-detail");

        Fakes.server().stubFor(post(urlEqualTo(crm)).atPriority(1).willReturn(aResponse().withStatus(200)));
        String url = browser.driver.getCurrentUrl();
        browser.script("window.__samePage = true");
        browser.byTestId("retry-button").click();
        browser.until(d -> "delivered".equals(d.findElement(testId("delivery-status")).getText()));
        assertThat(browser.script("return window.__samePage === true")).as("no reload").isEqualTo(true);
        assertThat(browser.driver.getCurrentUrl()).isEqualTo(url);
        assertThat(JsonPath.from(s.getLead(leadId).asString()).getString("deliveries[0].status"))
                .isEqualTo("delivered");
        browser.script("arguments[0].scrollIntoView()", browser.byTestId("delivery-row"));
        browser.screenshot("lead-retried");
    }

    @Test
    void lead_data_is_shown_as_text_and_runs_nothing() {
        Scenario s = Scenario.withMetaPage();
        String id = Scenario.newLeadgenId();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("full_name", "<img src=x onerror=\"window.__xss='name'\">");
        fields.put("email", "xss." + id + "@example.com");
        fields.put("company_name", "<b onmouseover=\"window.__xss='company'\">Bold</b>");
        fields.put("favourite_tag", "<script>window.__xss='custom'</script>");
        s.stubGraphLead(id, fields);
        Scenario.postWebhook(s.webhookBody(id)).then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> !JsonPath.from(s.listLeads().asString())
                .getList("items").isEmpty());

        openPanel();
        signIn(s.apiKey);
        WebElement row = browser.byTestId("lead-row");
        assertThat(row.getText()).contains("<img src=x onerror=\"window.__xss='name'\">");
        row.findElement(By.tagName("a")).click();
        WebElement detail = browser.byTestId("lead-detail");
        assertThat(detail.getText()).contains("<script>window.__xss='custom'</script>")
                .contains("<b onmouseover=\"window.__xss='company'\">Bold</b>");
        assertThat(browser.driver.findElements(By.cssSelector("#main img, #main script, #main b"))).isEmpty();
        assertThat(browser.script("return window.__xss === undefined")).isEqualTo(true);
        browser.screenshot("lead-escaped");
    }

    @Test
    void another_accounts_lead_is_never_shown() {
        Scenario mine = Scenario.withMetaPage();
        Scenario theirs = Scenario.withMetaPage();
        sendLeads(mine, 1);
        String theirLead = sendLeads(theirs, 1).get(0);

        openPanel();
        signIn(mine.apiKey);
        List<WebElement> rows = browser.until(d -> {
            List<WebElement> r = d.findElements(testId("lead-row"));
            return r.size() == 1 ? r : null;
        });
        assertThat(rows.get(0).getAttribute("data-lead-id")).isNotEqualTo(theirLead);
        browser.driver.get(TestHTTPResourceManager.getUri() + "/admin#/leads/" + theirLead);
        assertThat(browser.byTestId("error-banner").getText()).contains("404");
        assertThat(browser.driver.findElements(testId("lead-detail"))).isEmpty();
        assertThat(browser.driver.getPageSource()).doesNotContain(theirs.accountId);
    }

    @Test
    void the_admin_key_picks_the_account_and_sees_its_leads() {
        Scenario s = Scenario.withMetaPage();
        List<String> ids = sendLeads(s, 2);
        openPanel();
        signIn(Scenario.ADMIN_KEY);
        WebElement picker = browser.byTestId("account-select");
        browser.until(d -> new Select(d.findElement(testId("account-select"))).getOptions().stream()
                .anyMatch(o -> s.accountId.equals(o.getAttribute("value"))));
        new Select(picker).selectByValue(s.accountId);
        List<WebElement> rows = browser.until(d -> {
            List<WebElement> r = d.findElements(testId("lead-row"));
            return r.size() == ids.size() ? r : null;
        });
        assertThat(rows.stream().map(r -> r.getAttribute("data-lead-id")).toList())
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(browser.script("return sessionStorage.getItem('leadsync.accountId')")).isEqualTo(s.accountId);
    }

    @Test
    void the_admin_sees_each_dead_letter_queue_and_a_redrive_takes_its_message_through() throws Exception {
        Scenario s = Scenario.withMetaPage();
        String leadgenId = Scenario.newLeadgenId();
        s.stubGraphLead(leadgenId, "dead.letter." + leadgenId + "@example.com");
        String connectionId = JsonPath.from(Scenario.given().header("x-api-key", s.apiKey).get("/connections")
                .asString()).getString("items[0].id");
        // A lead's message as the webhook queued it, dead-lettered (its fetch failed 5 times; it would work now).
        String dlq = infrastructure.queueUrl("IngestDLQ");
        sqs.purgeQueue(b -> b.queueUrl(dlq));
        IngestMessage message = new IngestMessage(s.accountId, connectionId, ProviderType.META_LEAD_ADS, s.pageId,
                leadgenId, null, null, Instant.now(), "webhook", Instant.now(), null, null, 0, null);
        String body = mapper.writeValueAsString(message);
        sqs.sendMessage(b -> b.queueUrl(dlq).messageBody(body));

        openPanel();
        signIn(Scenario.ADMIN_KEY);
        browser.byTestId("nav-queues").click();
        List<WebElement> rows = browser.until(d -> {
            List<WebElement> r = d.findElements(testId("dlq-row"));
            return r.size() == 4 ? r : null;
        });
        assertThat(rows.stream().map(r -> r.getAttribute("data-queue")).toList())
                .containsExactly("ingest", "deliver", "poll", "import");
        WebElement ingest = rows.get(0);
        assertThat(ingest.findElement(testId("dlq-messages")).getText()).isEqualTo("1");
        browser.screenshot("queues");

        ingest.findElement(testId("dlq-redrive")).click();
        assertThat(browser.byTestId("dlq-note").getText())
                .isEqualTo("Moving 1 message(s) of leadsync-ingest-dlq back to ingest.");
        String leadId = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, leadgenId).leadId();
        await().atMost(Duration.ofSeconds(30)).until(() -> s.getLead(leadId).statusCode() == 200);
        // The view shows what SQS says when it loads: reloaded until the move is reported done.
        browser.until(d -> {
            List<WebElement> shown = d.findElements(testId("dlq-row"));
            if (!shown.isEmpty() && shown.get(0).findElement(testId("dlq-task")).getText()
                    .equals("COMPLETED · 1 moved")) {
                return shown.get(0);
            }
            d.navigate().refresh();
            return null;
        });
        assertThat(browser.byTestId("dlq-row").findElement(testId("dlq-messages")).getText()).isEqualTo("0");
        assertThat(browser.byTestId("dlq-redrive").isEnabled()).as("nothing to move").isFalse();

        // An account's key has no such view.
        browser.byTestId("logout").click();
        signIn(s.apiKey);
        browser.byTestId("nav-leads");
        assertThat(browser.driver.findElements(testId("nav-queues"))).isEmpty();
    }

    @Test
    void an_import_started_in_the_panel_is_followed_to_completed_with_the_jobs_counts() {
        Scenario s = Scenario.withMetaPage();
        String form = s.pageId + "07";
        List<String> listed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = Scenario.newLeadgenId();
            listed.add(MetaListingFake.lead(id, form, "imported." + id + "@example.com"));
        }
        MetaListingFake.of(s).leads(form, 2, listed.toArray(String[]::new));

        openPanel();
        signIn(s.apiKey);
        browser.byTestId("nav-imports").click();
        assertThat(browser.byTestId("empty").getText()).contains("No imports yet");
        WebElement importForm = browser.byTestId("import-form");
        assertThat(new Select(browser.byTestId("import-provider")).getFirstSelectedOption().getText())
                .isEqualTo("meta_lead_ads");
        assertThat(new Select(browser.byTestId("import-connection")).getFirstSelectedOption().getText())
                .contains(s.pageId);
        importForm.findElement(testId("import-form-id")).sendKeys(form);
        browser.byTestId("import-start").click();

        WebElement row = browser.until(d -> d.findElements(testId("import-row")).stream()
                .filter(r -> "completed".equals(r.findElement(testId("import-status")).getText())).findFirst()
                .orElse(null));
        JsonPath job = JsonPath.from(Scenario.given().header("x-api-key", s.apiKey).get("/leads/import")
                .then().statusCode(200).extract().asString());
        assertThat(row.getAttribute("data-job-id")).isEqualTo(job.getString("items[0].jobId"));
        assertThat(count(row, "leadsSeen")).isEqualTo("5").isEqualTo(job.getString("items[0].leadsSeen"));
        assertThat(count(row, "leadsNew")).isEqualTo("5");
        assertThat(count(row, "duplicates")).isEqualTo("0");
        assertThat(count(row, "pagesFetched")).isEqualTo(job.getString("items[0].pagesFetched"));
        assertThat(row.findElement(testId("import-progress")).findElement(By.tagName("progress"))
                .getAttribute("value")).isEqualTo("1");
        assertThat(row.findElements(testId("import-cancel"))).as("no cancel once ended").isEmpty();
        browser.screenshot("imports");

        // A form id Meta cannot have is refused by the API (422 naming the field), shown in the banner.
        browser.byTestId("import-form-id").sendKeys("not-a-form");
        browser.byTestId("import-start").click();
        assertThat(browser.byTestId("error-banner").getText()).contains("422").contains("formId");
    }

    @Test
    void sync_now_polls_a_connection_and_its_row_shows_the_poll() {
        Scenario s = Scenario.withMetaPage();
        String form = s.pageId + "01";
        String id = Scenario.newLeadgenId();
        MetaListingFake.of(s).forms(5, form)
                .leads(form, 5, MetaListingFake.lead(id, form, "polled." + id + "@example.com"));

        openPanel();
        signIn(s.apiKey);
        browser.byTestId("nav-connections").click();
        WebElement row = browser.byTestId("connection-row");
        assertThat(row.getText()).contains(s.pageId).contains("meta_lead_ads");
        assertThat(row.findElement(testId("connection-status")).getText()).isEqualTo("active");
        assertThat(row.findElement(testId("last-poll")).getText()).isEqualTo("never");
        browser.byTestId("sync-now").click();
        assertThat(browser.byTestId("connections-note").getText()).contains("queued");
        // The view re-reads the list a few seconds after the press; once the poll has run it shows it.
        browser.until(d -> {
            if (!d.findElement(testId("last-poll")).getText().contains("ok")) {
                d.navigate().refresh();
                return null;
            }
            return true;
        });
        assertThat(count(browser.byTestId("connection-row"), "lastPollLeads")).isEqualTo("1");
        browser.screenshot("connections");

        // Connect: the browser goes to the platform's consent page with a state bound to it and our callback.
        browser.byTestId("connect-meta_lead_ads").click();
        browser.until(d -> d.getCurrentUrl().startsWith("https://www.facebook.com/"));
        String consent = browser.driver.getCurrentUrl();
        assertThat(consent).contains("/dialog/oauth").contains("client_id=test-meta-app-id")
                .contains("state=").contains("redirect_uri=" + URLEncoder.encode(
                        "https://leadsync.example.test/oauth/meta_lead_ads/callback", StandardCharsets.UTF_8));

        // The person consents: Facebook sends this browser back to the callback, which lands on the panel.
        String granted = Scenario.newPageId();
        String code = MetaOAuthFake.newCode();
        MetaOAuthFake.grantsOnePage(code, granted);
        comeBackFromConsent("meta_lead_ads", "code", code, consent);
        assertThat(browser.byTestId("connections-note").getText())
                .isEqualTo("Connected meta_lead_ads: 1 new connection, 0 reconnected.");
        assertThat(browser.driver.getCurrentUrl()).endsWith("/admin#/connections").doesNotContain("connected=");
        List<WebElement> rows = browser.until(d -> {
            List<WebElement> r = d.findElements(testId("connection-row"));
            return r.size() == 2 ? r : null;
        });
        assertThat(rows).anySatisfy(r -> assertThat(r.getText()).contains(granted).contains("active"));
        browser.screenshot("connections-connected");

        // Said once: a reload shows the view without the note.
        browser.driver.navigate().refresh();
        browser.until(d -> d.findElements(testId("connection-row")).size() == 2);
        assertThat(browser.driver.findElement(testId("connections-note")).getText()).isEmpty();
    }

    @Test
    void a_crm_connected_by_oauth_from_the_destinations_view_comes_back_as_a_disabled_destination() {
        Scenario s = Scenario.withMetaPage();
        openPanel();
        signIn(s.apiKey);
        browser.byTestId("nav-destinations").click();
        browser.byTestId("connect-hubspot").click();
        browser.until(d -> d.getCurrentUrl().startsWith("https://app.hubspot.example.test/"));

        HubSpotOAuthFake.Grant grant = HubSpotOAuthFake.Grant.fresh(HubSpotOAuthFake.Grant.newHubId());
        HubSpotOAuthFake.exchanges(grant);
        comeBackFromConsent("hubspot", "code", grant.code(), browser.driver.getCurrentUrl());
        assertThat(browser.byTestId("destinations-note").getText()).contains("Connected hubspot")
                .contains("created disabled");
        WebElement row = browser.byTestId("destination-row");
        assertThat(row.findElement(testId("destination-status")).getText()).isEqualTo("disabled");
        assertThat(row.getText()).contains("hubspot").contains("connectedAccount: " + grant.hubId())
                .doesNotContain(grant.accessToken()).doesNotContain(grant.refreshToken());
        assertThat(browser.driver.getPageSource()).doesNotContain(grant.accessToken());
    }

    @Test
    void a_destination_is_created_tested_edited_and_disabled_in_the_panel_and_its_token_never_shown() {
        Scenario s = Scenario.withMetaPage();
        String token = "pat-na1-" + UUID.randomUUID();
        Fakes.stubHubSpotProperties(token, "budget_range");

        openPanel();
        signIn(s.apiKey);
        browser.byTestId("nav-destinations").click();
        assertThat(browser.byTestId("empty").getText()).contains("No destinations yet");
        browser.byTestId("destination-new").click();
        new Select(browser.byTestId("destination-type")).selectByValue("hubspot");
        browser.byTestId("destination-name").sendKeys("Sales HubSpot");
        setting("accessToken").sendKeys(token);
        assertThat(setting("accessToken").getAttribute("type")).isEqualTo("password");
        WebElement mapping = browser.byTestId("destination-mapping");
        mapping.sendKeys("budget = budget_range");
        browser.byTestId("destination-save").click();
        // Not a lead field: the API's 422 in the banner, nothing created.
        assertThat(browser.byTestId("error-banner").getText()).contains("422").contains("'budget'");
        assertThat(destinations(s)).isEmpty();

        mapping.clear();
        mapping.sendKeys("customFields.budget = budget_range");
        browser.byTestId("destination-save").click();
        WebElement row = browser.byTestId("destination-row");
        assertThat(row.getText()).contains("Sales HubSpot").contains("hubspot").contains("accessToken: set")
                .contains("customFields.budget → budget_range");
        assertThat(row.findElement(testId("destination-status")).getText()).isEqualTo("active");
        row.findElement(testId("destination-test")).click();
        browser.until(d -> d.findElement(testId("destination-test-result")).getText().contains("every mapped field"));
        assertThat(browser.driver.getPageSource()).doesNotContain(token);
        browser.screenshot("destinations");

        // Edit: the stored token is shown as set, not filled in; left blank it is kept (the test below uses it).
        browser.byTestId("destination-edit").click();
        assertThat(setting("accessToken").getAttribute("value")).isEmpty();
        assertThat(setting("accessToken").getAttribute("placeholder")).contains("set");
        mapping = browser.byTestId("destination-mapping");
        mapping.sendKeys("\ncustomFields.colour = favourite_colour");
        browser.screenshot("destination-edit");
        browser.byTestId("destination-save").click();
        browser.until(d -> d.findElements(testId("destination-form")).isEmpty());
        browser.byTestId("destination-test").click();
        String result = browser.until(d -> {
            String text = d.findElement(testId("destination-test-result")).getText();
            return text.contains("failed") ? text : null;
        });
        assertThat(result).contains("favourite_colour");

        browser.byTestId("destination-toggle").click();
        browser.until(d -> "disabled".equals(d.findElement(testId("destination-status")).getText()));
        JsonPath stored = JsonPath.from(Scenario.given().header("x-api-key", s.apiKey).get("/crm/destinations")
                .then().statusCode(200).extract().asString());
        assertThat(stored.getBoolean("items[0].enabled")).isFalse();
        assertThat(stored.getList("items[0].secretsSet")).containsExactly("accessToken");
        assertThat(stored.getMap("items[0].fieldMapping")).containsEntry("customFields.colour", "favourite_colour");
        assertThat(Fakes.server().findAll(getRequestedFor(urlEqualTo(
                        Fakes.HUBSPOT_PROPERTIES)).withHeader("Authorization", equalTo("Bearer " + token))))
                .as("both tests used the stored token").hasSize(2);
        assertThat(browser.driver.getPageSource()).doesNotContain(token);
    }

    @Test
    void a_flow_with_a_validation_error_shows_it_at_its_path_and_once_fixed_is_tested_and_runs_on_a_lead() {
        Scenario s = Scenario.withMetaPage();
        openPanel();
        signIn(s.apiKey);
        browser.byTestId("nav-flows").click();
        assertThat(browser.byTestId("empty").getText()).contains("No flows yet");
        browser.byTestId("flow-new").click();
        WebElement json = browser.byTestId("flow-json");
        assertThat(json.getAttribute("value")).contains("\"New flow\"");
        String flow = """
                {"name": "Enterprise", "enabled": true, "trigger": {"providerTypes": ["meta_lead_ads"]},
                 "steps": [
                   {"type": "filter", "match": "all", "conditions": [{"field": "company", "op": "resembles", "value": "Acme"}]},
                   {"type": "format", "field": "fullName", "format": "title"}]}""";
        browser.script("arguments[0].value = arguments[1]", json, flow);
        browser.byTestId("flow-save").click();
        WebElement problem = browser.byTestId("flow-problem");
        assertThat(problem.getAttribute("data-path")).isEqualTo("steps[0].conditions[0].op");
        assertThat(problem.getText()).contains("steps[0].conditions[0].op").contains("resembles");
        assertThat(browser.byTestId("error-banner").getText()).contains("422");
        assertThat(browser.script("return document.activeElement.dataset.testid")).isEqualTo("flow-json");
        assertThat(browser.script("const t = arguments[0]; return t.value.substring(t.selectionStart, t.selectionEnd)",
                json).toString().trim()).as("the problem's line is selected").isEqualTo("\"op\": \"resembles\",");
        browser.screenshot("flow-invalid");
        assertThat(JsonPath.from(Scenario.given().header("x-api-key", s.apiKey).get("/flows").then().statusCode(200)
                .extract().asString()).getList("items")).as("nothing stored").isEmpty();

        browser.script("arguments[0].value = arguments[1]", json, flow.replace("resembles", "contains"));
        browser.byTestId("flow-save").click();
        browser.until(d -> d.getCurrentUrl().matches(".*#/flows/flw_.*") ? true : null);
        String flowId = browser.driver.getCurrentUrl().replaceAll(".*#/flows/", "");
        assertThat(browser.byTestId("flow-json").getAttribute("value")).contains("\"contains\"");
        browser.byTestId("flow-test").click();
        assertThat(browser.byTestId("flow-test-outcome").getText()).isEqualTo("completed");
        assertThat(browser.byTestId("flow-test-result").getText()).contains("Jane Doe").contains("steps[1]");

        String leadId = sendLeads(s, 1).get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> !JsonPath.from(Scenario.given().header("x-api-key",
                s.apiKey).get("/flows/" + flowId + "/runs").asString()).getList("items").isEmpty());
        browser.driver.navigate().refresh();
        WebElement run = browser.byTestId("flow-run");
        assertThat(run.getText()).contains(leadId).contains("completed");
        browser.screenshot("flow-runs");
        browser.byTestId("nav-flows").click();
        assertThat(browser.byTestId("flow-row").getAttribute("data-flow-id")).isEqualTo(flowId);
        assertThat(browser.byTestId("flow-row").getText()).contains("Enterprise").contains("enabled");
    }

    @Test
    void a_subscription_is_created_tested_and_disabled_in_the_panel_and_its_secret_never_shown() {
        Scenario s = Scenario.withMetaPage();
        String path = "/admin-hook/" + UUID.randomUUID();
        Fakes.server().stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)));
        String secret = "whsec_" + Base64.getEncoder().encodeToString(
                UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));

        openPanel();
        signIn(s.apiKey);
        browser.byTestId("nav-subscriptions").click();
        assertThat(browser.byTestId("empty").getText()).contains("No subscriptions yet");
        browser.byTestId("subscription-new").click();
        browser.byTestId("subscription-url").sendKeys(Fakes.baseUrl() + path);
        browser.driver.findElement(By.cssSelector("[data-event-type='delivery.failed']")).click();
        browser.byTestId("subscription-secret-input").sendKeys(secret);
        browser.byTestId("subscription-save").click();
        WebElement row = browser.byTestId("subscription-row");
        assertThat(row.getText()).contains(path).contains("lead.created, delivery.failed");
        assertThat(row.findElement(testId("subscription-secret")).getText()).isEqualTo("set");
        row.findElement(testId("subscription-test")).click();
        browser.until(d -> d.findElement(testId("subscription-test-result")).getText().contains("answered 200"));
        assertThat(Fakes.server().findAll(postRequestedFor(urlEqualTo(path)))).hasSize(1);
        browser.screenshot("subscriptions");

        browser.byTestId("subscription-toggle").click();
        browser.until(d -> "disabled".equals(d.findElement(testId("subscription-status")).getText()));
        JsonPath stored = JsonPath.from(Scenario.given().header("x-api-key", s.apiKey).get("/webhooks/subscriptions")
                .then().statusCode(200).extract().asString());
        assertThat(stored.getBoolean("items[0].enabled")).isFalse();
        assertThat(stored.getBoolean("items[0].hasSecret")).isTrue();
        assertThat(browser.driver.getPageSource()).doesNotContain(secret);
    }

    @Test
    void the_overview_charts_todays_leads_and_shows_the_success_rate_a_failing_destination_and_an_expiring_token() {
        Scenario s = Scenario.withMetaPage();
        String ok = "/admin-ok/" + UUID.randomUUID();
        String refused = "/admin-refused/" + UUID.randomUUID();
        Fakes.server().stubFor(post(urlEqualTo(ok)).willReturn(aResponse().withStatus(200)));
        Fakes.server().stubFor(post(urlEqualTo(refused)).willReturn(aResponse().withStatus(400)
                .withBody("{\"error\":\"budget is not a field here\"}")));
        s.addHttpCrm(ok);
        String failing = s.addHttpCrm(refused);
        String pageId = Scenario.newPageId();
        Scenario.given().header("x-api-key", s.apiKey).contentType("application/json")
                .body(Map.of("providerType", "meta_lead_ads", "externalId", pageId,
                        "accessToken", Scenario.newPageToken(pageId),
                        "expiresAt", Instant.now().plus(Duration.ofDays(3)).toString()))
                .post("/connections").then().statusCode(201);
        List<String> ids = sendLeads(s, 2, Instant.now().minusSeconds(5));
        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> JsonPath.from(
                s.getLead(id).asString()).getList("deliveries.status").containsAll(List.of("delivered", "failed"))));

        openPanel();
        signIn(s.apiKey);
        browser.byTestId("nav-overview").click();
        WebElement chart = browser.byTestId("overview-chart");
        browser.until(d -> chart.findElements(By.tagName("canvas")).isEmpty() ? null : true);
        WebElement today = browser.driver.findElements(testId("overview-day")).get(13);
        assertThat(browser.script("return arguments[0].textContent", today).toString())
                .startsWith(LocalDate.now(ZoneOffset.UTC).toString()).endsWith("2");
        assertThat(browser.byTestId("overview-success-rate").getText()).isEqualTo("50%");
        WebElement bad = browser.byTestId("failing-destination");
        assertThat(bad.getAttribute("data-destination-id")).isEqualTo(failing);
        assertThat(bad.getText()).contains("budget is not a field here");
        assertThat(browser.driver.findElements(testId("failing-destination"))).hasSize(1);
        WebElement expiring = browser.byTestId("attention-connection");
        assertThat(expiring.getText()).contains(pageId).contains("token expires");
        browser.screenshot("overview");

        // The leads with a failed delivery, by the leads view's filter.
        browser.byTestId("nav-leads").click();
        new Select(browser.byTestId("filter-delivery")).selectByValue("failed");
        browser.byTestId("filter-apply").click();
        browser.until(d -> d.getCurrentUrl().contains("deliveryStatus=failed") ? true : null);
        List<WebElement> rows = browser.until(d -> {
            List<WebElement> r = d.findElements(testId("lead-row"));
            return r.size() == 2 ? r : null;
        });
        assertThat(rows.stream().map(r -> r.getAttribute("data-lead-id")).toList())
                .containsExactlyInAnyOrderElementsOf(ids);
        new Select(browser.byTestId("filter-delivery")).selectByValue("retrying");
        browser.byTestId("filter-apply").click();
        assertThat(browser.byTestId("empty").getText()).contains("No leads yet for these filters");

        browser.reset(TestHTTPResourceManager.getUri(), 390, 844);
        openPanel();
        signIn(s.apiKey);
        browser.byTestId("nav-overview").click();
        browser.until(d -> d.findElement(testId("overview-chart")).findElements(By.tagName("canvas")).isEmpty()
                ? null : true);
        assertThat((Long) browser.script("return document.documentElement.scrollWidth"
                + " - document.documentElement.clientWidth")).as("no sideways page scroll at 390 px").isZero();
        browser.screenshot("overview-390");
    }

    @Test
    void the_panel_works_by_keyboard_alone() {
        Scenario s = Scenario.withMetaPage();
        openPanel();
        // The key field has the focus on arrival; Enter signs in.
        browser.byTestId("login-key");
        browser.driver.switchTo().activeElement().sendKeys(s.apiKey + Keys.ENTER);
        browser.byTestId("nav-leads");
        for (String view : List.of("destinations", "flows", "subscriptions", "imports")) {
            for (int i = 0; i < 30 && !("nav-" + view).equals(focusedTestId()); i++) {
                browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
            }
            assertThat(focusedTestId()).as("Tab reaches nav-%s", view).isEqualTo("nav-" + view);
            browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
            browser.until(d -> d.getCurrentUrl().endsWith("#/" + view) ? true : null);
            assertThat(browser.byTestId("empty").getText()).isNotBlank();
        }
        // A form opened by keyboard takes the focus in its first field.
        browser.byTestId("nav-destinations").sendKeys(Keys.ENTER);
        browser.byTestId("destination-new").sendKeys(Keys.ENTER);
        browser.until(d -> "destination-name".equals(focusedTestId()) ? true : null);
    }

    private String focusedTestId() {
        Object id = browser.script("return document.activeElement && document.activeElement.dataset.testid");
        return id == null ? null : id.toString();
    }

    private WebElement setting(String key) {
        return browser.driver.findElement(By.cssSelector("[data-testid='destination-form'] [data-key='" + key + "']"));
    }

    private static List<Object> destinations(Scenario s) {
        return JsonPath.from(Scenario.given().header("x-api-key", s.apiKey).get("/crm/destinations")
                .then().statusCode(200).extract().asString()).getList("items");
    }

    private static String count(WebElement row, String name) {
        return row.findElement(By.cssSelector("[data-count='" + name + "']")).getText();
    }

    @Test
    void the_leads_view_works_at_phone_width() {
        Scenario s = Scenario.withMetaPage();
        sendLeads(s, 1);
        browser.reset(TestHTTPResourceManager.getUri(), 390, 844);
        openPanel();
        signIn(s.apiKey);
        browser.byTestId("lead-row");
        Long overflow = (Long) browser.script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertThat(overflow).as("the page itself does not scroll sideways (tables scroll in their box)").isZero();
        browser.screenshot("leads-390");
    }

    /**
     * The platform's redirect back after consent, in this browser (its cookie binds the state): the callback at
     * this server (the consent URL names the public one), carrying the consent page's state.
     */
    private void comeBackFromConsent(String type, String codeParam, String code, String consentUrl) {
        String state = OAuthClickThrough.query(consentUrl).get("state");
        browser.driver.get(TestHTTPResourceManager.getUri() + "/oauth/" + type + "/callback?" + codeParam + "="
                + URLEncoder.encode(code, StandardCharsets.UTF_8) + "&state="
                + URLEncoder.encode(state, StandardCharsets.UTF_8));
    }

    private void openPanel() {
        browser.driver.get(TestHTTPResourceManager.getUri() + "/admin");
    }

    private void signIn(String key) {
        WebElement input = browser.byTestId("login-key");
        input.clear();
        input.sendKeys(key);
        browser.byTestId("login-submit").click();
    }

    /** {@code n} leads by signed webhook, each stored (and its deliveries made) before this returns. */
    private static List<String> sendLeads(Scenario s, int n) {
        return sendLeads(s, n, null);
    }

    /** ... submitted at {@code created} (null: the stubs' fixed time in March). */
    private static List<String> sendLeads(Scenario s, int n, Instant created) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = Scenario.newLeadgenId();
            if (created == null) {
                s.stubGraphLead(id, "jane." + id + "@example.com");
            } else {
                s.stubGraphLead(id, "jane." + id + "@example.com", created);
            }
            Scenario.postWebhook(s.webhookBody(id)).then().statusCode(200);
            ids.add(new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS,
                    id).leadId());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> {
            String status = JsonPath.from(s.getLead(id).asString()).getString("status");
            return "dispatched".equals(status);
        }));
        return ids;
    }
}
