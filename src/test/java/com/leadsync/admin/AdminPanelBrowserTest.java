package com.leadsync.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.leadsync.testing.Chromium.testId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.leadsync.lead.LeadIdentity;
import com.leadsync.model.ProviderType;
import com.leadsync.testing.Chromium;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.MetaListingFake;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Scenario;
import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Contract §11 in headless Chromium, as a person uses the panel: local mode's wiring (queue pumps on), leads sent
 * by signed webhook, everything read and done through the page. Screenshots go to {@code target/screenshots/}.
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class AdminPanelBrowserTest {

    private Chromium browser;

    @BeforeEach
    void open() {
        Chromium.assumeInstalled();
        browser = Chromium.start(1280, 900);
    }

    @AfterEach
    void close() {
        if (browser != null) {
            browser.close();
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
        assertThat(browser.driver.getCurrentUrl()).contains("/dialog/oauth").contains("client_id=test-meta-app-id")
                .contains("state=").contains("redirect_uri=" + URLEncoder.encode(
                        "https://leadsync.example.test/oauth/meta_lead_ads/callback", StandardCharsets.UTF_8));
    }

    private static String count(WebElement row, String name) {
        return row.findElement(By.cssSelector("[data-count='" + name + "']")).getText();
    }

    @Test
    void the_leads_view_works_at_phone_width() {
        Scenario s = Scenario.withMetaPage();
        sendLeads(s, 1);
        browser.close();
        browser = Chromium.start(390, 844);
        openPanel();
        signIn(s.apiKey);
        browser.byTestId("lead-row");
        Long overflow = (Long) browser.script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertThat(overflow).as("the page itself does not scroll sideways (tables scroll in their box)").isZero();
        browser.screenshot("leads-390");
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
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = Scenario.newLeadgenId();
            s.stubGraphLead(id, "jane." + id + "@example.com");
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
