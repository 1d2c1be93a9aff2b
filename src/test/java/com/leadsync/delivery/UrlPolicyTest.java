package com.leadsync.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
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
            "http://[64:ff9b::a00:1]/", "http://224.0.0.1/", "http://255.255.255.255/", "http://2130706433/", "http://[::ffff:0:7f00:1]/"})
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
    @ValueSource(strings = {
            "http://[2002:7f00:1::]/",              // 6to4 of 127.0.0.1
            "http://[2002:a00:1::1]/",              // 6to4 of 10.0.0.1
            "http://[2002:a9fe:a9fe::]/",           // 6to4 of 169.254.169.254 (metadata)
            "http://[2001:0:a9fe:a9fe::f7f7:f7f7]/",  // Teredo, server 169.254.169.254, client 8.8.8.8 (obfuscated)
            "http://[2001:0:808:808::80ff:fffe]/",  // Teredo, server 8.8.8.8, client 127.0.0.1 (obfuscated 80ff:fffe)
            "http://[2001:0:808:808::f5ff:fffe]/",  // Teredo, server 8.8.8.8, client 10.0.0.1
            "http://[2001:0:808:808::5601:5601]/"}) // Teredo, server 8.8.8.8, client 169.254.169.254
    void six_to_four_and_teredo_addresses_embedding_a_private_ipv4_are_refused(String url) {
        assertThatThrownBy(() -> strict.check(url)).isInstanceOf(InvalidUrlException.class)
                .hasMessageContaining("only public hosts are allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://[2002:808:808::1]/",             // 6to4 of 8.8.8.8
            "http://[2001:0:808:808::f7f7:f7f7]/"})  // Teredo, server 8.8.8.8, client 8.8.8.8
    void six_to_four_and_teredo_addresses_embedding_public_ipv4_pass(String url) {
        assertThatCode(() -> strict.check(url)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://0177.0.0.1/", "http://0x7f.1/", "http://127.1/", "http://2130706433/",
            "http://0x7f000001/", "http://017700000001/", "http://127.0.0.01/", "http://0x7f.0.0.1/",
            "http://127.0.0.1./", "http://8.8.8.8./", "http://1.2.3.4.5/", "http://10.1/", "http://foo.123/",
            "http://example.0x1/", "http://0177.0.0.1:8080/hook", "http://user@127.1:80/"})
    void ambiguous_numeric_hosts_are_refused_with_a_clear_message_in_every_mode(String url) {
        assertThatThrownBy(() -> strict.check(url)).isInstanceOf(InvalidUrlException.class)
                .hasMessageContaining("ambiguous numeric host").hasMessageContaining("four decimal numbers");
        assertThatThrownBy(() -> local.check(url)).isInstanceOf(InvalidUrlException.class)
                .hasMessageContaining("ambiguous numeric host");
    }

    @Test
    void names_with_numeric_labels_and_canonical_dotted_quads_still_pass() {
        UrlPolicy policy = strictWith(Map.of("123.example.com", new String[] {"93.184.215.14"},
                "0x7f.example.com", new String[] {"93.184.215.14"},
                "hooks.example.com", new String[] {"93.184.215.14"}));
        assertThatCode(() -> policy.check("https://123.example.com/x")).doesNotThrowAnyException();
        assertThatCode(() -> policy.check("https://0x7f.example.com/x")).doesNotThrowAnyException();
        assertThatCode(() -> policy.check("https://hooks.example.com./x")).doesNotThrowAnyException();
        assertThatCode(() -> policy.check("https://8.8.8.8:8443/x")).doesNotThrowAnyException();
        assertThatCode(() -> policy.check("https://100.0.0.0/x")).doesNotThrowAnyException();
        assertThatCode(() -> local.check("http://127.0.0.1:8080/x")).doesNotThrowAnyException();
    }

    @Test
    void the_check_hands_back_the_addresses_it_checked_so_the_send_can_connect_to_them() throws Exception {
        List<String> lookups = new ArrayList<>();
        UrlPolicy policy = new UrlPolicy(false, host -> {
            lookups.add(host);
            return new InetAddress[] {InetAddress.getByName("93.184.215.14")};
        });

        PinnedUrl pinned = policy.check("https://Hooks.Example.com:8443/leads?x=1");

        assertThat(lookups).containsExactly("hooks.example.com");
        assertThat(pinned.host()).isEqualTo("hooks.example.com");
        assertThat(pinned.port()).isEqualTo(8443);
        assertThat(pinned.addresses()).extracting(InetAddress::getHostAddress).containsExactly("93.184.215.14");
        assertThat(pinned.uri()).hasToString("https://Hooks.Example.com:8443/leads?x=1");
    }

    @Test
    void local_mode_still_resolves_once_and_pins_the_answer() throws Exception {
        List<String> lookups = new ArrayList<>();
        UrlPolicy policy = new UrlPolicy(true, host -> {
            lookups.add(host);
            return new InetAddress[] {InetAddress.getByName("127.0.0.1")};
        });

        PinnedUrl pinned = policy.checkBeforeSend("http://crm.local.test:9000/x");

        assertThat(lookups).containsExactly("crm.local.test");
        assertThat(pinned.addresses()).extracting(InetAddress::getHostAddress).containsExactly("127.0.0.1");
        assertThat(pinned.port()).isEqualTo(9000);
    }

    @Test
    void ip_literals_are_not_looked_up() throws Exception {
        UrlPolicy noDns = new UrlPolicy(false, host -> {
            throw new UnknownHostException(host);
        });
        assertThat(noDns.check("https://8.8.8.8/x").addresses()).extracting(InetAddress::getHostAddress)
                .containsExactly("8.8.8.8");
        assertThat(noDns.check("https://[2606:4700::1111]/x").port()).isEqualTo(443);
    }

    @Test
    void which_addresses_count_as_allowed_is_a_seam() throws Exception {
        UrlPolicy policy = new UrlPolicy(host -> new InetAddress[] {InetAddress.getByName("127.0.0.2")},
                address -> address.getHostAddress().equals("127.0.0.1"));
        assertThatCode(() -> policy.check("http://127.0.0.1/")).doesNotThrowAnyException();
        assertThatThrownBy(() -> policy.check("http://crm.example.test/"))
                .isInstanceOf(InvalidUrlException.class).hasMessageContaining("127.0.0.2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/hook", "http://localhost:9000/", "http://10.1.2.3/",
            "http://169.254.169.254/", "http://[::1]/"})
    void localModeAllowsPrivateAddresses(String url) {
        assertThatCode(() -> local.check(url)).doesNotThrowAnyException();
    }
}
