package com.leadsync.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.delivery.CrmLinks.Held;
import com.leadsync.delivery.CrmLinks.Linked;
import com.leadsync.delivery.CrmLinks.Taken;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The claim table on the real emulator: one holder at a time, lapsed claims taken over once, the first id kept. */
@QuarkusTest
class CrmLinkStoreTest {

    private static final Instant T = Instant.parse("2026-03-07T14:30:00Z");
    private static final Duration LEASE = Duration.ofSeconds(90);

    @Inject
    CrmLinkStore links;

    private static String key() {
        return "dst#dst_test#lead#ld_" + UUID.randomUUID();
    }

    @Test
    void the_first_claim_takes_the_key_and_the_next_finds_it_held_until_the_lease_ends() {
        String key = key();

        assertThat(links.claim(key, "a", T, LEASE)).isEqualTo(new Taken(false));
        assertThat(links.claim(key, "b", T.plusSeconds(1), LEASE)).isEqualTo(new Held("a", T.plus(LEASE)));
        assertThat(links.claim(key, "b", T.plus(LEASE).plusMillis(1), LEASE)).isEqualTo(new Taken(true, T));
        assertThat(links.claim(key, "c", T.plus(LEASE).plusSeconds(1), LEASE))
                .isEqualTo(new Held("b", T.plus(LEASE).plusMillis(1).plus(LEASE)));
        // Every later takeover still learns when the key was first claimed, not when the last holder took it.
        assertThat(links.claim(key, "c", T.plus(LEASE).plus(LEASE).plusSeconds(1), LEASE))
                .isEqualTo(new Taken(true, T));
    }

    @Test
    void a_linked_key_names_its_record_to_everyone_and_the_first_id_recorded_wins() {
        String key = key();
        links.claim(key, "a", T, LEASE);

        assertThat(links.link(key, "101")).isEqualTo("101");
        assertThat(links.link(key, "202")).isEqualTo("101");
        assertThat(links.claim(key, "b", T.plus(Duration.ofDays(1)), LEASE)).isEqualTo(new Linked("101"));
        links.release(key, "a");
        assertThat(links.claim(key, "b", T, LEASE)).isEqualTo(new Linked("101"));
    }

    @Test
    void a_released_claim_is_taken_over_at_once_but_only_its_holder_can_release_it() {
        String key = key();
        links.claim(key, "a", T, LEASE);

        links.release(key, "someone-else");
        assertThat(links.claim(key, "b", T.plusSeconds(1), LEASE)).isInstanceOf(Held.class);
        links.release(key, "a");
        assertThat(links.claim(key, "b", T.plusSeconds(1), LEASE)).isEqualTo(new Taken(true, T));
    }

    @Test
    void of_twenty_callers_taking_over_one_lapsed_claim_at_once_exactly_one_gets_it() throws Exception {
        for (int round = 0; round < 3; round++) {
            String key = key();
            links.claim(key, "crashed", T, LEASE);
            Instant later = T.plus(LEASE).plusSeconds(5);
            ExecutorService pool = Executors.newFixedThreadPool(20);
            try {
                CyclicBarrier start = new CyclicBarrier(20);
                List<Future<Object>> claims = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    String owner = "o" + i;
                    claims.add(pool.submit(() -> {
                        start.await();
                        return links.claim(key, owner, later, LEASE);
                    }));
                }
                List<Object> got = new ArrayList<>();
                for (Future<Object> f : claims) {
                    got.add(f.get(30, TimeUnit.SECONDS));
                }
                assertThat(got).as("round %d", round).filteredOn(c -> c instanceof Taken).hasSize(1);
                assertThat(got).as("round %d", round).filteredOn(c -> c instanceof Held).hasSize(19);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
