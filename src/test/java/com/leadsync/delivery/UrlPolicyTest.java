package com.leadsync.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UrlPolicyTest {

    private final UrlPolicy strict = new UrlPolicy(false);
    private final UrlPolicy local = new UrlPolicy(true);

    /** Names resolve from this table, so no test depends on real DNS. */
    private static UrlPolicy strictWith(Map<String, String[]> dns) {
        return new UrlPolicy(false, host -> {
            String[] ips = dns.get(host);
            if (ips == null) {
                throw new UnknownHostException(host);
            }
            InetAddress[] out = new InetAddress[ips.length];
            for (int i = 0; i < ips.length; i++) {
                out[i] = InetAddress.getByName(ips[i]); // literals: no lookup
            }
            return out;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://8.8.8.8/hook", "http://93.184.215.14:8080/a?b=c", "https://[2606:4700::1111]/x",
            "HTTPS://1.1.1.1"})
    void publicAddressesPass(String url) {
        assertThatCode(() -> strict.check(url)).doesNotThrowAnyException();
    }

    @Test
    void publicHostNamePasses() {
        UrlPolicy policy = strictWith(Map.of("hooks.example.com", new String[] {"93.184.215.14", "2606:2800:21f:cb07::1"}));
        assertThatCode(() -> policy.check("https://hooks.example.com/leads")).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://127.0.0.1/", "http://127.8.9.10:9000/", "http://localhost:8080/hook", "http://LOCALHOST./",
            "http://api.localhost/", "http://10.1.2.3/", "http://172.16.0.1/", "http://172.31.255.255/",
            "http://192.168.1.10/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://[::]/",
            "http://0.0.0.0/", "http://100.64.0.1/", "http://100.127.255.254/", "http://[fd00::1]/",
            "http://[fc00::abcd]/", "http://[fe80::1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:a9fe:a9fe]/",
            "http://[64:ff9b::a00:1]/", "http://224.0.0.1/", "http://255.255.255.255/", "http://2130706433/"})
    void privateLoopbackAndLinkLocalAreRefused(String url) {
        assertThatThrownBy(() -> strict.check(url)).isInstanceOf(InvalidUrlException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/x", "file:///etc/passwd", "/relative/path", "example.com/hook",
            "https:///nohost", "http://", "gopher://1.1.1.1/", "not a url", ""})
    void onlyAbsoluteHttpUrlsWithAHost(String url) {
        assertThatThrownBy(() -> strict.check(url)).isInstanceOf(InvalidUrlException.class);
        assertThatThrownBy(() -> local.check(url)).isInstanceOf(InvalidUrlException.class);
    }

    @Test
    void nullIsRefused() {
        assertThatThrownBy(() -> strict.check(null)).isInstanceOf(InvalidUrlException.class);
    }

    @Test
    void aNameResolvingToAPrivateAddressIsRefused() {
        UrlPolicy policy = strictWith(Map.of(
                "internal.example.com", new String[] {"10.0.0.5"},
                "mixed.example.com", new String[] {"93.184.215.14", "169.254.169.254"}));
        assertThatThrownBy(() -> policy.check("https://internal.example.com/"))
                .isInstanceOf(InvalidUrlException.class).hasMessageContaining("10.0.0.5");
        assertThatThrownBy(() -> policy.check("https://mixed.example.com/"))
                .isInstanceOf(InvalidUrlException.class).hasMessageContaining("169.254.169.254");
    }

    @Test
    void anUnresolvableHostIsRefusedButMarkedAsPossiblyTransient() throws Exception {
        UrlPolicy policy = strictWith(Map.of());
        assertThatThrownBy(() -> policy.check("https://gone.example.com/"))
                .isInstanceOfSatisfying(InvalidUrlException.class, e -> assertThat(e.unresolved()).isTrue());
        assertThatThrownBy(() -> policy.checkBeforeSend("https://gone.example.com/"))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isTrue());
    }

    @Test
    void refusalBeforeSendIsPermanent() {
        assertThatThrownBy(() -> strict.checkBeforeSend("http://169.254.169.254/"))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isFalse());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/hook", "http://localhost:9000/", "http://10.1.2.3/",
            "http://169.254.169.254/", "http://[::1]/", "https://hooks.example.com/x"})
    void localModeAllowsPrivateAddresses(String url) {
        assertThatCode(() -> local.check(url)).doesNotThrowAnyException();
    }
}
