package com.leadsync.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.connect.oauth.PendingState;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Pending OAuth states on the DynamoDB emulator: each opens one callback, and not after it expired. */
@QuarkusTest
class OAuthStateStoreTest {

    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    @Inject
    OAuthStateStore store;
    @Inject
    DynamoDbClient dynamo;
    @Inject
    TableNames tables;

    private static PendingState state(Instant expiresAt) {
        return new PendingState("n_" + UUID.randomUUID(), "acc_1", "salesforce", "verifier-0123456789", expiresAt);
    }

    @Test
    void of_twenty_callbacks_consuming_one_state_at_once_exactly_one_gets_it_with_its_verifier() throws Exception {
        PendingState s = state(T.plusSeconds(600));
        store.save(s);
        CyclicBarrier start = new CyclicBarrier(20);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<Optional<PendingState>>> tries = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                tries.add(pool.submit(() -> {
                    start.await();
                    return store.consume(s.nonce(), T);
                }));
            }
            List<PendingState> got = new ArrayList<>();
            for (Future<Optional<PendingState>> f : tries) {
                f.get().ifPresent(got::add);
            }
            assertThat(got).singleElement().satisfies(p -> {
                assertThat(p.accountId()).isEqualTo("acc_1");
                assertThat(p.type()).isEqualTo("salesforce");
                assertThat(p.codeVerifier()).isEqualTo("verifier-0123456789");
            });
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void the_pkce_verifier_is_stored_sealed() {
        PendingState s = state(T.plusSeconds(600));
        store.save(s);

        String raw = dynamo.getItem(b -> b.tableName(tables.of(Schema.OAUTH_STATES))
                .key(Map.of("nonce", Attr.s(s.nonce())))).item().get("codeVerifier").s();

        assertThat(raw).startsWith("enc:v1:").doesNotContain("verifier-0123456789");
        assertThat(store.consume(s.nonce(), T).orElseThrow().codeVerifier()).isEqualTo("verifier-0123456789");
    }

    @Test
    void an_expired_or_unknown_state_opens_nothing() {
        PendingState s = state(T.plusSeconds(600));
        store.save(s);

        assertThat(store.consume(s.nonce(), T.plusSeconds(600))).isEmpty();
        assertThat(store.consume("n_unknown", T)).isEmpty();
        assertThat(store.consume("", T)).isEmpty();
    }
}
