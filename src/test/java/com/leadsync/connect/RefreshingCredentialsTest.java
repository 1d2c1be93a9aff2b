package com.leadsync.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.leadsync.model.Connection;
import com.leadsync.model.ConnectionStatus;
import com.leadsync.model.ProviderCallException.Kind;
import com.leadsync.model.ProviderCallException;
import com.leadsync.model.ProviderType;
import com.leadsync.store.ConnectionStore;
import com.leadsync.store.Schema;
import com.leadsync.store.TableNames;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The credentials component on the real DynamoDB emulator, with {@link ScriptedTokenRefresher} as Google's
 * refresher: refresh before expiry and once on UNAUTHORIZED, one refresh for many callers across
 * instances, rotated tokens stored in one write, a revoked grant parked as {@code needs_reauth}.
 */
@QuarkusTest
@TestProfile(CredentialsProfile.class)
class RefreshingCredentialsTest {

    /** A provider call that answers with the token it was given. */
    private static final Function<String, String> USES_TOKEN = token -> token;

    private static final String GOOGLE = ProviderType.GOOGLE_ADS.wireName();

    @Inject
    Credentials credentials;
    @Inject
    CredentialRepository<Connection> grants;
    @Inject
    ConnectionStore connections;
    @Inject
    ScriptedTokenRefresher refresher;
    @Inject
    DynamoDbClient dynamo;
    @Inject
    TableNames tables;

    @BeforeEach
    void resetRefresher() {
        refresher.reset();
    }

    /** A Google connection stored with {@code at-old-...}/{@code rt-old-...} tokens expiring in {@code expiresIn}. */
    private Connection googleConnection(String refreshToken, Duration expiresIn) {
        String customerId = Long.toString(1_000_000_000L + ThreadLocalRandom.current().nextLong(8_999_999_999L));
        Connection c = new Connection("con_" + UUID.randomUUID().toString().replace("-", ""), "acc_" + UUID.randomUUID(),
                ProviderType.GOOGLE_ADS, customerId, "at-old-" + UUID.randomUUID(), refreshToken,
                Instant.now().plus(expiresIn), Map.of("loginCustomerId", "9876543210"), Instant.now(),
                ConnectionStatus.ACTIVE, null);
        connections.create(c);
        return c;
    }

    private Connection googleConnection(Duration expiresIn) {
        return googleConnection("rt-old-" + UUID.randomUUID(), expiresIn);
    }

    private Connection stored(Connection c) {
        return connections.findByRoute(c.providerType(), c.externalId()).orElseThrow();
    }

    private long version(Connection c) {
        return grants.read(c).orElseThrow().tokenVersion();
    }

    private static ProviderCallException unauthorized() {
        return new ProviderCallException("HTTP 401 UNAUTHENTICATED: Request had invalid authentication credentials.",
                Kind.UNAUTHORIZED, null);
    }

    /** A provider call that records each token it is given and rejects those in {@code rejected}. */
    private static Function<String, String> providerRejecting(List<String> tried, String... rejected) {
        return token -> {
            tried.add(token);
            if (List.of(rejected).contains(token)) {
                throw unauthorized();
            }
            return token;
        };
    }

    // --- refresh before expiry ----------------------------------------------------------------------------

    @Test
    void a_token_expiring_within_the_skew_is_refreshed_once_before_the_call_and_the_new_tokens_are_stored() {
        Connection c = googleConnection(Duration.ofMinutes(1));
        long before = version(c);

        List<String> tried = new ArrayList<>();
        String used = credentials.call(c, providerRejecting(tried));

        assertThat(refresher.calls()).isEqualTo(1);
        assertThat(refresher.refreshTokens()).containsExactly(c.refreshToken());
        assertThat(refresher.configs()).containsExactly(c.config());
        Connection after = stored(c);
        assertThat(used).startsWith("at-refreshed-").isEqualTo(after.accessToken());
        assertThat(tried).containsExactly(used);
        assertThat(after.expiresAt()).isAfter(Instant.now().plus(Duration.ofMinutes(55)));
        assertThat(after.status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(version(c)).isEqualTo(before + 1);
        assertThat(grants.read(c).orElseThrow().refreshLeaseOwner()).as("lease freed by the save").isNull();
    }

    @Test
    void a_token_far_from_expiry_is_used_as_stored_without_a_refresh() {
        Connection c = googleConnection(Duration.ofHours(1));

        assertThat(credentials.call(c, USES_TOKEN)).isEqualTo(c.accessToken());

        assertThat(refresher.calls()).isZero();
    }

    // --- once on UNAUTHORIZED -----------------------------------------------------------------------------

    @Test
    void a_rejected_token_that_looks_fresh_is_refreshed_once_and_the_call_retried_with_the_new_one() {
        Connection c = googleConnection(Duration.ofHours(1));

        List<String> tried = new ArrayList<>();
        String used = credentials.call(c, providerRejecting(tried, c.accessToken()));

        assertThat(refresher.calls()).isEqualTo(1);
        assertThat(tried).containsExactly(c.accessToken(), used);
        assertThat(used).isEqualTo(stored(c).accessToken()).isNotEqualTo(c.accessToken());
    }

    @Test
    void a_second_rejection_after_the_refresh_propagates_and_leaves_the_connection_active() {
        Connection c = googleConnection(Duration.ofHours(1));
        List<String> tried = new ArrayList<>();

        assertThatThrownBy(() -> credentials.call(c, token -> {
            tried.add(token);
            throw unauthorized();
        })).isInstanceOfSatisfying(ProviderCallException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED));

        assertThat(tried).hasSize(2).doesNotHaveDuplicates();
        assertThat(refresher.calls()).isEqualTo(1);
        assertThat(stored(c).status()).as("a fresh token refused is no dead grant").isEqualTo(ConnectionStatus.ACTIVE);
    }

    @Test
    void errors_other_than_a_rejected_token_propagate_without_a_refresh() {
        Connection c = googleConnection(Duration.ofHours(1));
        ProviderCallException forbidden = new ProviderCallException("PERMISSION_DENIED", Kind.FORBIDDEN, null);

        assertThatThrownBy(() -> credentials.call(c, token -> {
            throw forbidden;
        })).isSameAs(forbidden);

        assertThat(refresher.calls()).isZero();
    }

    @Test
    void a_failure_carries_the_version_of_the_tokens_it_failed_with_after_a_refresh_the_refreshed_ones() {
        Connection c = googleConnection(Duration.ofHours(1));
        long stored = version(c);
        ProviderCallException forbidden = new ProviderCallException("PERMISSION_DENIED", Kind.FORBIDDEN, null);

        assertThatThrownBy(() -> credentials.call(c, token -> {
            throw forbidden;
        })).isSameAs(forbidden);
        assertThat(forbidden.tokenVersion()).hasValue(stored);

        // Rejected, refreshed, rejected again: it failed with the refreshed tokens, not with those it started from.
        assertThatThrownBy(() -> credentials.call(c, token -> {
            throw unauthorized();
        })).isInstanceOfSatisfying(ProviderCallException.class, e -> {
            assertThat(refresher.calls()).isEqualTo(1);
            assertThat(e.tokenVersion()).hasValue(version(c));
            assertThat(version(c)).isGreaterThan(stored);
        });
    }

    // --- single flight ------------------------------------------------------------------------------------

    @Test
    void twenty_concurrent_callers_needing_a_refresh_on_two_instances_cause_exactly_one_refresher_call()
            throws Exception {
        Connection c = googleConnection(Duration.ofMinutes(1));
        // A second instance of the component, as another Lambda instance would have, sharing only the table.
        TokenKeeper<Connection> otherInstance = new TokenKeeper<>(grants, Map.of(GOOGLE, refresher),
                Clock.systemUTC(), Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofMillis(150));
        CountDownLatch allCalling = new CountDownLatch(20);
        refresher.holdUntil(allCalling);
        List<String> used = Collections.synchronizedList(new ArrayList<>());

        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<String>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                boolean here = i % 2 == 0;
                calls.add(pool.submit(() -> {
                    allCalling.countDown();
                    Function<String, String> provider = token -> {
                        used.add(token);
                        return token;
                    };
                    return here ? credentials.call(c, provider) : otherInstance.call(c, provider);
                }));
            }
            for (Future<String> call : calls) {
                call.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(refresher.calls()).isEqualTo(1);
        String refreshed = stored(c).accessToken();
        assertThat(refreshed).startsWith("at-refreshed-");
        assertThat(used).hasSize(20).containsOnly(refreshed);
    }

    @Test
    void a_lease_left_by_a_crashed_refresher_is_taken_over_once_it_runs_out() {
        Connection c = googleConnection(Duration.ofMinutes(1));
        Instant now = Instant.now();
        assertThat(grants.takeRefreshLease(c, "crashed-instance", now, now.plusSeconds(1))).isTrue();

        String used = credentials.call(c, USES_TOKEN);

        assertThat(refresher.calls()).isEqualTo(1);
        assertThat(used).isEqualTo(stored(c).accessToken()).startsWith("at-refreshed-");
    }

    // --- what is stored -----------------------------------------------------------------------------------

    @Test
    void a_rotated_refresh_token_is_stored_in_the_same_write_as_the_access_token_and_expiry_and_used_next() {
        Connection c = googleConnection(Duration.ofMinutes(1));
        long before = version(c);
        RefreshedTokens rotated = ScriptedTokenRefresher.newTokens("rt-rotated-" + UUID.randomUUID());
        refresher.answer(refreshToken -> rotated);

        credentials.call(c, USES_TOKEN);

        Connection after = stored(c);
        assertThat(after.accessToken()).isEqualTo(rotated.accessToken());
        assertThat(after.refreshToken()).isEqualTo(rotated.refreshToken());
        assertThat(after.expiresAt()).isEqualTo(rotated.expiresAt());
        assertThat(version(c)).as("one token write").isEqualTo(before + 1);

        refresher.answer(refreshToken -> ScriptedTokenRefresher.newTokens(null));
        credentials.call(c, providerRejecting(new ArrayList<>(), rotated.accessToken()));
        assertThat(refresher.refreshTokens()).containsExactly(c.refreshToken(), rotated.refreshToken());
    }

    @Test
    void a_refresh_that_returns_no_refresh_token_keeps_the_stored_one() {
        Connection c = googleConnection(Duration.ofMinutes(1));

        credentials.call(c, USES_TOKEN);

        Connection after = stored(c);
        assertThat(after.accessToken()).isNotEqualTo(c.accessToken());
        assertThat(after.refreshToken()).isEqualTo(c.refreshToken());
    }

    @Test
    void a_stale_copy_of_the_connection_never_makes_a_call_use_or_refresh_from_older_tokens() {
        Connection stale = googleConnection(Duration.ofMinutes(1));
        RefreshedTokens rotated = ScriptedTokenRefresher.newTokens("rt-rotated-" + UUID.randomUUID());
        refresher.answer(refreshToken -> rotated);
        credentials.call(stale, USES_TOKEN);

        // The caller still holds the old copy (as the ingest cache may for 30 s): the stored tokens are used.
        assertThat(credentials.call(stale, USES_TOKEN)).isEqualTo(rotated.accessToken());
        assertThat(refresher.calls()).isEqualTo(1);

        refresher.answer(refreshToken -> ScriptedTokenRefresher.newTokens(null));
        credentials.call(stale, providerRejecting(new ArrayList<>(), rotated.accessToken()));
        assertThat(refresher.refreshTokens()).containsExactly(stale.refreshToken(), rotated.refreshToken());
    }

    @Test
    void tokens_replaced_while_a_refresh_runs_are_kept_and_used_and_the_refresh_result_is_dropped() throws Exception {
        Connection c = googleConnection(Duration.ofMinutes(1));
        CountDownLatch replaced = new CountDownLatch(1);
        refresher.holdUntil(replaced);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<String> call = pool.submit(() -> credentials.call(c, USES_TOKEN));
            await().atMost(Duration.ofSeconds(10)).until(() -> refresher.calls() == 1);

            Connection put = new Connection(c.connectionId(), c.accountId(), c.providerType(), c.externalId(),
                    "at-put-" + UUID.randomUUID(), "rt-put-" + UUID.randomUUID(), Instant.now().plus(Duration.ofHours(1)),
                    c.config(), c.createdAt(), ConnectionStatus.ACTIVE, null);
            connections.replaceTokens(put);
            replaced.countDown();

            assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo(put.accessToken());
            Connection after = stored(c);
            assertThat(after.accessToken()).isEqualTo(put.accessToken());
            assertThat(after.refreshToken()).isEqualTo(put.refreshToken());
        } finally {
            pool.shutdownNow();
        }
    }

    // --- transient refresh failures -----------------------------------------------------------------------

    @Test
    void an_issuer_unreachable_before_expiry_leaves_the_still_valid_token_in_use_and_the_lease_free() {
        Connection c = googleConnection(Duration.ofMinutes(1));
        refresher.answer(refreshToken -> {
            throw new ProviderCallException("oauth2.googleapis.com: HTTP 503", Kind.TRANSIENT, null);
        });

        assertThat(credentials.call(c, USES_TOKEN)).isEqualTo(c.accessToken());

        assertThat(grants.read(c).orElseThrow().refreshLeaseOwner()).isNull();
        refresher.answer(refreshToken -> ScriptedTokenRefresher.newTokens(null));
        assertThat(credentials.call(c, USES_TOKEN)).as("the next call refreshes at once").startsWith("at-refreshed-");
        assertThat(refresher.calls()).isEqualTo(2);
    }

    @Test
    void an_issuer_unreachable_after_a_rejection_is_a_transient_failure() {
        Connection c = googleConnection(Duration.ofHours(1));
        refresher.answer(refreshToken -> {
            throw new ProviderCallException("oauth2.googleapis.com: HTTP 503", Kind.TRANSIENT, null);
        });

        assertThatThrownBy(() -> credentials.call(c, providerRejecting(new ArrayList<>(), c.accessToken())))
                .isInstanceOfSatisfying(ProviderCallException.class, e -> assertThat(e.isTransient()).isTrue());

        assertThat(stored(c).status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(grants.read(c).orElseThrow().refreshLeaseOwner()).isNull();
    }

    // --- dead grants --------------------------------------------------------------------------------------

    @Test
    void a_revoked_grant_marks_the_connection_needs_reauth_and_its_refresher_is_not_asked_again_until_new_tokens() {
        Connection c = googleConnection(Duration.ofMinutes(1));
        refresher.answer(refreshToken -> {
            throw new GrantRevoked("invalid_grant: Token has been expired or revoked.");
        });
        List<String> tried = new ArrayList<>();

        assertThatThrownBy(() -> credentials.call(c, providerRejecting(tried)))
                .isInstanceOfSatisfying(ProviderCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED);
                    assertThat(e.getMessage()).contains(c.connectionId()).contains("needs re-authorization")
                            .doesNotContain(c.refreshToken());
                });

        Connection parked = stored(c);
        assertThat(parked.status()).isEqualTo(ConnectionStatus.NEEDS_REAUTH);
        assertThat(parked.statusReason()).contains("revoked");
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> credentials.call(c, providerRejecting(tried, c.accessToken())))
                    .hasMessageContaining("needs re-authorization");
        }
        assertThat(refresher.calls()).isEqualTo(1);
        assertThat(tried).as("no provider call with a dead grant").isEmpty();

        // A person reconnects (PUT /connections/{id}): active again, and its new grant is refreshed as usual.
        refresher.answer(refreshToken -> ScriptedTokenRefresher.newTokens(null));
        connections.replaceTokens(new Connection(c.connectionId(), c.accountId(), c.providerType(), c.externalId(),
                "at-new-" + UUID.randomUUID(), "rt-new-" + UUID.randomUUID(), Instant.now().plusSeconds(30), c.config(),
                c.createdAt(), ConnectionStatus.ACTIVE, null));
        assertThat(stored(c).status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(stored(c).statusReason()).isNull();
        assertThat(credentials.call(c, USES_TOKEN)).startsWith("at-refreshed-");
        assertThat(refresher.calls()).isEqualTo(2);
    }

    @Test
    void a_connection_without_a_refresh_token_is_called_with_its_token_as_is_even_near_expiry() {
        Connection c = googleConnection(null, Duration.ofMinutes(1));

        assertThat(credentials.call(c, USES_TOKEN)).isEqualTo(c.accessToken());

        assertThat(refresher.calls()).isZero();
    }

    @Test
    void a_rejected_token_that_nothing_can_refresh_marks_the_connection_needs_reauth_and_the_rejection_propagates() {
        Connection c = googleConnection(null, Duration.ofHours(1));
        ProviderCallException rejection = unauthorized();
        List<String> tried = new ArrayList<>();

        assertThatThrownBy(() -> credentials.call(c, token -> {
            tried.add(token);
            throw rejection;
        })).isSameAs(rejection);

        Connection parked = stored(c);
        assertThat(parked.status()).isEqualTo(ConnectionStatus.NEEDS_REAUTH);
        assertThat(parked.statusReason()).contains("cannot be refreshed").contains("UNAUTHENTICATED");
        assertThatThrownBy(() -> credentials.call(c, providerRejecting(tried)))
                .isInstanceOfSatisfying(ProviderCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED);
                    assertThat(e.getMessage()).contains("needs re-authorization");
                });
        assertThat(tried).containsExactly(c.accessToken());
        assertThat(refresher.calls()).isZero();
    }

    @Test
    void a_deleted_connection_gets_no_token_and_no_lease_writes_it_back() {
        Connection c = googleConnection(Duration.ofMinutes(1));
        connections.delete(c);

        assertThatThrownBy(() -> credentials.call(c, USES_TOKEN))
                .isInstanceOfSatisfying(ProviderCallException.class, e -> assertThat(e.getMessage())
                        .contains("no longer exists"));

        Instant now = Instant.now();
        assertThat(grants.takeRefreshLease(c, "someone", now, now.plusSeconds(30))).isFalse();
        assertThat(dynamo.getItem(b -> b.tableName(tables.of(Schema.CONNECTIONS))
                .key(Map.of("routeKey", AttributeValue.fromS(c.routeKey()))).consistentRead(true)).hasItem())
                .as("no item left behind").isFalse();
        assertThat(refresher.calls()).isZero();
    }
}
