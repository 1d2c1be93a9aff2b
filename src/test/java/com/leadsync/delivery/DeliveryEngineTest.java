package com.leadsync.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.leadsync.api.ApiTestSupport;
import com.leadsync.lead.PipelineProbe;
import com.leadsync.model.StoredLead;
import com.leadsync.store.DeliveryStore;
import com.leadsync.store.DestinationStore;
import com.leadsync.store.LeadStore;
import com.leadsync.store.SubscriptionStore;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine around a destination that misbehaves: whatever a send throws or asks for, the try is recorded,
 * the lease is freed and the delivery ends up in a state the schedule can handle. Real stores on the
 * emulator; the destination is a stand-in. (Backoff here: 1 m, 5 m, so 6 min of retry horizon.)
 */
@QuarkusTest
class DeliveryEngineTest {

    @Inject
    LeadStore leads;
    @Inject
    com.leadsync.event.EventRepository events;
    @Inject
    com.leadsync.event.EventSink eventSink;
    @Inject
    DeliveryStore deliveries;
    @Inject
    DestinationStore destinations;
    @Inject
    SubscriptionStore subscriptions;
    @Inject
    Instance<Destination> all;
    @Inject
    RateGate gate;
    @Inject
    com.leadsync.ops.Metrics metrics;
    @Inject
    DeliveryQueue queue;

    private interface Send {
        DeliveryReceipt send() throws DeliveryException;
    }

    private record Delivery(DeliveryEngine engine, DeliverMessage message) {
    }

    private Delivery queued(Send send) {
        return queued(send, () -> List.of());
    }

    private interface Validate {
        List<String> validate();
    }

    private Delivery queued(Send send, Validate validate) {
        return queued(send, validate, Clock.systemUTC());
    }

    private Delivery queued(Send send, Validate validate, Clock clock) {
        return queued(send, validate, clock, 10);
    }

    private Delivery queued(Send send, Validate validate, Clock clock, int rateLimitedRetries) {
        return queued(send, validate, clock, rateLimitedRetries, Map.of());
    }

    private Delivery queued(Send send, Validate validate, Clock clock, int rateLimitedRetries,
            Map<String, String> fieldMapping) {
        Destination fake = new Destination() {
            @Override
            public String type() {
                return "http";
            }

            @Override
            public Set<String> secretKeys() {
                return Set.of();
            }

            @Override
            public List<String> validate(DeliveryTarget target) {
                return validate.validate();
            }

            @Override
            public DeliveryReceipt send(DeliveryTarget target, StoredLead lead, DeliveryContext context)
                    throws DeliveryException {
                return send.send();
            }
        };
        Destinations registry = new Destinations(all) {
            @Override
            public Optional<Destination> find(String type) {
                return Optional.of(fake);
            }
        };
        String account = "acc_engine_" + UUID.randomUUID();
        Instant now = Instant.now();
        String targetId = "dst_" + UUID.randomUUID();
        destinations.put(new DestinationConfig(targetId, account, "http", "stand-in", true, Map.of(), fieldMapping, now,
                now));
        StoredLead lead = ApiTestSupport.storeLead(leads, account, now.truncatedTo(ChronoUnit.SECONDS));
        long generation = deliveries.ensure(lead.leadId(), targetId, account, "http", now.plusSeconds(900), null);
        DeliveryEngine engine = new DeliveryEngine(events, eventSink, deliveries, new DeliveryTargets(destinations, subscriptions, new NoRoutes(), leads,
                new AccountTargets(destinations, subscriptions)),
                registry, new PipelineProbe(), metrics, clock, gate, queue, Duration.ofMinutes(3), Duration.ofSeconds(30),
                Duration.ofSeconds(20), 4, Duration.ofMinutes(1), Duration.ofMinutes(15), 2, Duration.ofMillis(10),
                Duration.ofMillis(50), List.of(Duration.ofMinutes(1), Duration.ofMinutes(5)), rateLimitedRetries);
        return new Delivery(engine, new DeliverMessage(lead.leadId(), targetId, generation, null));
    }

    private DeliveryRecord record(Delivery d) {
        return deliveries.get(d.message().leadId(), d.message().targetId()).orElseThrow();
    }

    @Test
    void an_unexpected_exception_in_a_send_is_recorded_as_a_try_and_frees_the_lease() {
        Delivery d = queued(() -> {
            throw new IllegalStateException("a bug in the destination");
        });

        assertThat(d.engine().deliver(d.message(), "w1")).isEqualTo(DeliveryEngine.Outcome.RETRY_SCHEDULED);

        DeliveryRecord r = record(d);
        assertThat(r.status()).isEqualTo(DeliveryStatus.RETRYING);
        assertThat(r.leaseOwner()).isNull();
        assertThat(r.attempts()).as("treated as a transient failure: quick tries too").isEqualTo(2);
        assertThat(r.history()).hasSize(2).allSatisfy(a -> {
            assertThat(a.outcome()).isEqualTo("retryable");
            assertThat(a.detail()).contains("IllegalStateException").contains("a bug in the destination");
        });
        assertThat(r.lastError()).contains("a bug in the destination");
    }

    @ParameterizedTest
    @ValueSource(longs = {Long.MAX_VALUE, 315_360_000_000L, 361})
    void a_retry_after_beyond_the_retry_horizon_ends_the_delivery(long seconds) {
        Delivery d = queued(() -> {
            throw DeliveryException.retryable("HTTP 503: slow down", 503, Duration.ofSeconds(seconds));
        });

        assertThat(d.engine().deliver(d.message(), "w1")).isEqualTo(DeliveryEngine.Outcome.FAILED);

        DeliveryRecord r = record(d);
        assertThat(r.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(r.leaseOwner()).isNull();
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(r.lastError()).contains("Retry-After").contains("HTTP 503: slow down");
        assertThat(r.nextAttemptAt()).isNull();
    }

    @ParameterizedTest
    @ValueSource(longs = {Long.MAX_VALUE, 315_360_000_000L, 361})
    void a_rate_limit_waits_as_asked_at_most_a_day_without_using_the_failure_schedule(long seconds) {
        Delivery d = queued(() -> {
            throw DeliveryException.rateLimited("HTTP 429: slow down", 429, Duration.ofSeconds(seconds));
        });

        assertThat(d.engine().deliver(d.message(), "w1")).isEqualTo(DeliveryEngine.Outcome.RETRY_SCHEDULED);

        DeliveryRecord r = record(d);
        assertThat(r.status()).isEqualTo(DeliveryStatus.RETRYING);
        assertThat(r.retryRound()).as("no rung of the failure schedule used").isZero();
        assertThat(r.rateLimitedRounds()).isEqualTo(1);
        Duration wait = Duration.ofSeconds(Math.min(seconds, Duration.ofHours(24).toSeconds()));
        // The wait asked (at most a day), plus up to a fifth at random.
        assertThat(r.nextAttemptAt()).isBetween(Instant.now().plus(wait).minusSeconds(10),
                Instant.now().plus(wait.plus(wait.dividedBy(5))).plusSeconds(10));
        assertThat(r.history()).extracting(Attempt::outcome).containsOnly("rate_limited");
    }

    @Test
    void rate_limits_more_often_than_the_schedule_has_rungs_still_end_delivered() {
        int[] sends = {0};
        Instant[] now = {Instant.now()};
        Clock clock = movable(now);
        Delivery d = queued(() -> {
            if (++sends[0] <= 12) {
                throw DeliveryException.rateLimited("HTTP 429: slow down", 429, null);
            }
            return new DeliveryReceipt(200, "HTTP 200");
        }, List::of, clock);
        DeliveryEngine.Outcome outcome = null;
        for (int i = 0; i < 7 && outcome != DeliveryEngine.Outcome.DELIVERED; i++) {
            outcome = d.engine().deliver(d.message(), "w" + i);
            assertThat(outcome).as("send %d", i).isIn(DeliveryEngine.Outcome.RETRY_SCHEDULED,
                    DeliveryEngine.Outcome.DELIVERED);
            now[0] = record(d).nextAttemptAt() == null ? now[0] : record(d).nextAttemptAt().plusSeconds(1);
        }

        assertThat(outcome).isEqualTo(DeliveryEngine.Outcome.DELIVERED);
        assertThat(record(d).status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(record(d).attempts()).isEqualTo(13);
    }

    @Test
    void a_receiver_that_rate_limits_every_try_ends_failed_only_after_its_own_ladder() {
        Instant[] now = {Instant.now()};
        Delivery d = queued(() -> {
            throw DeliveryException.rateLimited("HTTP 429: slow down", 429, null);
        }, List::of, movable(now), 2);

        assertThat(d.engine().deliver(d.message(), "w0")).isEqualTo(DeliveryEngine.Outcome.RETRY_SCHEDULED);
        Duration first = Duration.between(now[0], record(d).nextAttemptAt());
        now[0] = record(d).nextAttemptAt().plusSeconds(1);
        assertThat(d.engine().deliver(d.message(), "w1")).isEqualTo(DeliveryEngine.Outcome.RETRY_SCHEDULED);
        Duration second = Duration.between(now[0], record(d).nextAttemptAt());
        now[0] = record(d).nextAttemptAt().plusSeconds(1);
        assertThat(d.engine().deliver(d.message(), "w2")).isEqualTo(DeliveryEngine.Outcome.FAILED);

        assertThat(first).as("the first rung, plus at most a fifth").isBetween(Duration.ofMinutes(1),
                Duration.ofMinutes(1).plusSeconds(13));
        assertThat(second).as("the next rung: the waits grow").isBetween(Duration.ofMinutes(5),
                Duration.ofMinutes(6).plusSeconds(1));
        assertThat(record(d).status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(record(d).lastError()).contains("rate limited on every try for 2 retries");
    }

    @Test
    void a_retry_after_within_the_horizon_is_waited_for() {
        Delivery d = queued(() -> {
            throw DeliveryException.retryable("HTTP 503", 503, Duration.ofMinutes(5));
        });

        assertThat(d.engine().deliver(d.message(), "w1")).isEqualTo(DeliveryEngine.Outcome.RETRY_SCHEDULED);

        DeliveryRecord r = record(d);
        assertThat(r.status()).isEqualTo(DeliveryStatus.RETRYING);
        assertThat(r.nextAttemptAt()).isCloseTo(Instant.now().plus(Duration.ofMinutes(5)), within(10, ChronoUnit.SECONDS));
    }

    @Test
    void an_unexpected_exception_outside_the_send_is_recorded_as_a_try_and_frees_the_lease() {
        Delivery d = queued(() -> {
            throw new AssertionError("never sent");
        }, () -> {
            throw new IllegalStateException("a bug in the config check");
        });

        assertThat(d.engine().deliver(d.message(), "w1")).isEqualTo(DeliveryEngine.Outcome.RETRY_SCHEDULED);

        DeliveryRecord r = record(d);
        assertThat(r.status()).isEqualTo(DeliveryStatus.RETRYING);
        assertThat(r.leaseOwner()).isNull();
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(r.lastError()).contains("a bug in the config check");
    }

    @Test
    void a_config_or_a_stored_mapping_gone_stale_fails_the_delivery_without_a_send() {
        Delivery badConfig = queued(() -> {
            throw new AssertionError("never sent");
        }, () -> List.of("config.url is required"));
        Delivery staleMapping = queued(() -> {
            throw new AssertionError("never sent");
        }, List::of, Clock.systemUTC(), 10, Map.of("favouriteColour", "colour"));

        assertThat(badConfig.engine().deliver(badConfig.message(), "w1")).isEqualTo(DeliveryEngine.Outcome.FAILED);
        assertThat(staleMapping.engine().deliver(staleMapping.message(), "w1"))
                .isEqualTo(DeliveryEngine.Outcome.FAILED);

        assertThat(record(badConfig).lastError()).isEqualTo("destination config is not usable: config.url is required");
        assertThat(record(staleMapping).lastError()).startsWith("destination config is not usable: fieldMapping: "
                + "unknown lead field 'favouriteColour'");
        assertThat(record(staleMapping).lastError().split("favouriteColour", -1)).as("reported once").hasSize(2);
        assertThat(record(staleMapping).status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(record(staleMapping).leaseOwner()).isNull();
    }

    /** A clock reading {@code now[0]}, which the test moves. */
    private static Clock movable(Instant[] now) {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
    }
}
