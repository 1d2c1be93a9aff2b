package com.leadsync.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTPS to a pinned address. {@code tls/crm-tls-test.p12} holds a self-signed certificate for crm.tls.test
 * only (no IP address in it), made with {@code keytool -genkeypair -alias crm -keyalg EC -groupname secp256r1
 * -dname CN=crm.tls.test -ext SAN=dns:crm.tls.test -validity 36500 -storetype PKCS12 -storepass changeit}.
 */
class OutboundHttpTest {

    private static final String KEYSTORE = "tls/crm-tls-test.p12";
    private static final String PASSWORD = "changeit";

    private WireMockServer crm;
    private OutboundHttp http;
    // Every name is 127.0.0.1, where only the test server listens; loopback stands in for the public internet.
    private final UrlPolicy policy = new UrlPolicy(host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")},
            InetAddress::isLoopbackAddress);

    @BeforeEach
    void start() throws Exception {
        crm = new WireMockServer(wireMockConfig().httpDisabled(true).dynamicHttpsPort().bindAddress("127.0.0.1")
                .keystorePath(Path.of(getClass().getClassLoader().getResource(KEYSTORE).toURI()).toString())
                .keystoreType("PKCS12").keystorePassword(PASSWORD).keyManagerPassword(PASSWORD));
        crm.start();
        crm.stubFor(post("/crm").willReturn(aResponse().withStatus(200).withBody("{\"ok\":true}")));
        http = new OutboundHttp(Duration.ofSeconds(5), trusting(KEYSTORE));
    }

    @AfterEach
    void stop() {
        http.close();
        crm.stop();
    }

    @Test
    void https_to_the_pinned_address_verifies_the_certificate_against_the_host_name() throws Exception {
        String authority = "crm.tls.test:" + crm.httpsPort();

        OutboundHttp.Response response = http.postJson(policy.check("https://" + authority + "/crm"), "{}", Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"ok\":true}");
        assertThat(response.header("content-type")).isEqualTo(response.header("Content-Type"));
        crm.verify(postRequestedFor(urlEqualTo("/crm")).withHeader("Host", equalTo(authority))
                .withHeader("Content-Type", equalTo("application/json")));
    }

    @Test
    void a_certificate_for_another_name_is_refused_although_the_address_is_the_same() throws Exception {
        PinnedUrl otherName = policy.check("https://other.tls.test:" + crm.httpsPort() + "/crm");

        assertThatThrownBy(() -> http.postJson(otherName, "{}", Map.of())).isInstanceOf(SSLException.class);
        crm.verify(0, postRequestedFor(urlEqualTo("/crm")));
    }

    private static SSLContext trusting(String keystore) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = OutboundHttpTest.class.getClassLoader().getResourceAsStream(keystore)) {
            trusted.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
