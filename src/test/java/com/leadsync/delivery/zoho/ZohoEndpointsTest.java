package com.leadsync.delivery.zoho;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.leadsync.delivery.DeliveryException;
import com.leadsync.delivery.UrlPolicy;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Outside local mode only https origins of Zoho data centres may get a token or the client secret. */
class ZohoEndpointsTest {

    // Every name resolves to a public address, so only the Zoho rules decide (no DNS in tests).
    private final ZohoEndpoints strict = new ZohoEndpoints(new UrlPolicy(false,
            host -> new InetAddress[] {InetAddress.getByAddress(host, new byte[] {(byte) 136, (byte) 143, 1, 10})}),
            false);

    @Test
    void every_zoho_data_centre_is_accepted() {
        for (String dc : new String[] {"com", "eu", "in", "com.au", "com.cn", "jp", "sa", "uk"}) {
            assertThat(strict.problem("apiDomain", "https://www.zohoapis." + dc)).as(dc).isEmpty();
            assertThat(strict.problem("accountsServer", "https://accounts.zoho." + dc + "/")).as(dc).isEmpty();
        }
        assertThat(strict.problem("apiDomain", "https://www.zohoapis.ca")).isEmpty();
        assertThat(strict.problem("accountsServer", "https://accounts.zohocloud.ca")).isEmpty();
    }

    @Test
    void another_host_plain_http_or_a_path_is_refused_outside_local_mode() {
        assertThat(strict.problem("accountsServer", "https://accounts.example.com")).hasValue("config.accountsServer "
                + "must be the https origin of a Zoho data centre, without a path (the accounts server of the Zoho "
                + "data centre, e.g. https://accounts.zoho.eu)");
        assertThat(strict.problem("accountsServer", "https://accounts.zoho.eu.example.com")).isPresent();
        assertThat(strict.problem("apiDomain", "https://www.zohoapis.eu.attacker.net")).isPresent();
        assertThat(strict.problem("apiDomain", "https://www.zohoapis.eu/crm")).isPresent();
        assertThat(strict.problem("apiDomain", "https://www.zohoapis.eu:8443")).isPresent();
        assertThat(strict.problem("apiDomain", "http://www.zohoapis.eu")).hasValue("config.apiDomain must be an "
                + "https:// URL (the api_domain of the Zoho data centre, e.g. https://www.zohoapis.eu)");
        assertThat(strict.problem("apiDomain", " ")).hasValue("config.apiDomain is required (the api_domain of the "
                + "Zoho data centre, e.g. https://www.zohoapis.eu)");
    }

    @Test
    void a_send_to_a_stored_host_that_breaks_the_rules_fails_for_good() throws Exception {
        DeliveryException e = catchThrowableOfType(DeliveryException.class,
                () -> strict.beforeSend("apiDomain", "https://crm.example.com", ZohoDestination.UPSERT_PATH));

        assertThat(e.kind()).isEqualTo(DeliveryException.Kind.PERMANENT);
        assertThat(strict.beforeSend("apiDomain", "https://www.zohoapis.eu/", ZohoDestination.UPSERT_PATH).uri())
                .hasToString("https://www.zohoapis.eu/crm/v8/Leads/upsert");
    }

    @Test
    void local_mode_takes_any_http_url_with_a_path_so_the_offline_fake_can_stand_in() {
        ZohoEndpoints local = new ZohoEndpoints(new UrlPolicy(true), true);

        assertThat(local.problem("apiDomain", "http://localhost:8080/_local/zoho")).isEmpty();
        assertThat(local.problem("apiDomain", "file:///etc/passwd")).isPresent();
    }
}
