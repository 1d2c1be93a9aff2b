package com.leadsync.walk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.lead.LeadIdentity;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderType;
import com.leadsync.poll.PollStates;
import com.leadsync.source.LeadLister;
import com.leadsync.source.LeadNotice;
import com.leadsync.source.LeadPage;
import com.leadsync.source.ListRequest;
import com.leadsync.testing.CrashingProbe;
import com.leadsync.testing.MetaListingFake;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The page walker with a lister of its own (not a platform's): offsets as positions, whole leads in the pages.
 * The leads go through the real pipeline, so "queued" is seen as "stored".
 */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class PageWalkerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    PageWalker walker;
    @Inject
    PollStates connections;

    /** Lists {@code leads} in pages of {@code pageSize}; position = offset. Asks for nothing not yet recorded. */
    private static final class OffsetLister implements LeadLister {
        final String pageId;
        final List<String> ids;
        final int pageSize;
        final Ledger ledger;
        final List<String> asked = new ArrayList<>();

        OffsetLister(String pageId, List<String> ids, int pageSize, Ledger ledger) {
            this.pageId = pageId;
            this.ids = ids;
            this.pageSize = pageSize;
            this.ledger = ledger;
        }

        @Override
        public ProviderType type() {
            return ProviderType.META_LEAD_ADS;
        }

        @Override
        public LeadPage page(Connection connection, ListRequest request) {
            asked.add(request.position());
            // One page at a time: the walker asks for the next page only once it recorded this position.
            assertThat(request.position()).isEqualTo(ledger.lastPosition());
            int from = request.position() == null ? 0 : Integer.parseInt(request.position());
            int to = Math.min(ids.size(), from + pageSize);
            return new LeadPage(notices(pageId, ids.subList(from, to)), to == ids.size() ? null : Integer.toString(to));
        }
    }

    /** Whole Meta leads, as a list page carries them. */
    private static List<LeadNotice> notices(String pageId, List<String> ids) {
        List<LeadNotice> page = new ArrayList<>();
        for (String id : ids) {
            try {
                page.add(new LeadNotice(ProviderType.META_LEAD_ADS, pageId, id, "987654321098765", null,
                        Instant.parse("2026-03-07T14:30:00Z"),
                        JSON.readTree(MetaListingFake.lead(id, "987654321098765", email(id)))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return page;
    }

    /** Records like a walk's state would; can refuse the {@code loseAt}-th record (1-based) as a lost lease. */
    private static final class Ledger implements WalkLedger {
        final List<String> positions = new ArrayList<>();
        final List<Integer> leads = new ArrayList<>();
        int loseAt;

        @Override
        public void recordPage(String nextPosition, HandedOff page, boolean notReady) {
            if (positions.size() + 1 == loseAt) {
                throw new LostLease("another worker holds this walk");
            }
            positions.add(nextPosition);
            leads.add(page.leads());
        }

        String lastPosition() {
            return positions.isEmpty() ? null : positions.get(positions.size() - 1);
        }
    }

    @Test
    void the_walker_queues_each_page_then_records_where_the_walk_goes_on_until_the_last_page() {
        Scenario s = Scenario.withMetaPage();
        List<String> ids = ids(7);
        Ledger ledger = new Ledger();
        OffsetLister lister = new OffsetLister(s.pageId, ids, 3, ledger);

        WalkOutcome outcome = walker.walk(step(s, lister, ledger, null, Instant.now().plusSeconds(60)));

        assertThat(outcome).isEqualTo(new WalkOutcome.Completed(3, 7));
        assertThat(ledger.positions).containsExactly("3", "6", null);
        assertThat(ledger.leads).containsExactly(3, 3, 1);
        awaitStored(s, ids);
    }

    @Test
    void an_invocation_stops_at_the_first_page_boundary_after_its_deadline_and_the_next_goes_on_from_there() {
        Scenario s = Scenario.withMetaPage();
        List<String> ids = ids(7);
        Ledger ledger = new Ledger();
        OffsetLister lister = new OffsetLister(s.pageId, ids, 3, ledger);

        WalkOutcome first = walker.walk(step(s, lister, ledger, null, Instant.now()));
        assertThat(first).isEqualTo(new WalkOutcome.Paused("3", 1, 3));
        WalkOutcome rest = walker.walk(step(s, lister, ledger, "3", Instant.now().plusSeconds(60)));

        assertThat(rest).isEqualTo(new WalkOutcome.Completed(2, 4));
        assertThat(lister.asked).containsExactly(null, "3", "6");
        awaitStored(s, ids);
    }

    @Test
    void a_crash_after_a_page_was_queued_but_not_recorded_lists_and_queues_only_that_page_again() {
        Scenario s = Scenario.withMetaPage();
        List<String> ids = ids(7);
        Ledger ledger = new Ledger();
        OffsetLister lister = new OffsetLister(s.pageId, ids, 3, ledger);
        String key = "walk-test-" + s.pageId;
        CrashingProbe.arm("walk.published", key, 1, 1);

        assertThatThrownBy(() -> walker.walk(step(s, lister, ledger, null, Instant.now().plusSeconds(60), key)))
                .isInstanceOf(CrashingProbe.InjectedCrash.class);
        assertThat(ledger.positions).containsExactly("3");
        WalkOutcome resumed = walker.walk(step(s, lister, ledger, ledger.lastPosition(), Instant.now().plusSeconds(60),
                key));

        assertThat(resumed).isEqualTo(new WalkOutcome.Completed(2, 4));
        assertThat(lister.asked).containsExactly(null, "3", "3", "6");
        assertThat(ledger.leads).as("the repeated page is counted once").containsExactly(3, 3, 1);
        awaitStored(s, ids);
        assertThat(s.listLeads().jsonPath().getList("items")).hasSize(7);
    }

    @Test
    void a_lost_lease_ends_the_walk_at_the_page_it_could_not_record() {
        Scenario s = Scenario.withMetaPage();
        Ledger ledger = new Ledger();
        ledger.loseAt = 2;
        OffsetLister lister = new OffsetLister(s.pageId, ids(7), 3, ledger);

        assertThatThrownBy(() -> walker.walk(step(s, lister, ledger, null, Instant.now().plusSeconds(60))))
                .isInstanceOf(LostLease.class);
        assertThat(lister.asked).containsExactly(null, "3");
        assertThat(ledger.positions).containsExactly("3");
    }

    @Test
    void an_empty_page_that_is_not_the_last_is_recorded_and_the_walk_goes_on() {
        Scenario s = Scenario.withMetaPage();
        Ledger ledger = new Ledger();
        List<String> ids = ids(2);
        LeadLister gappy = new LeadLister() {
            @Override
            public ProviderType type() {
                return ProviderType.META_LEAD_ADS;
            }

            /** Like a download task that is not ready yet: an empty page first, the leads next. */
            @Override
            public LeadPage page(Connection connection, ListRequest request) {
                return request.position() == null ? new LeadPage(List.of(), "task-running")
                        : new LeadPage(notices(s.pageId, ids), null);
            }
        };

        WalkOutcome outcome = walker.walk(step(s, gappy, ledger, null, Instant.now().plusSeconds(60)));

        assertThat(outcome).isEqualTo(new WalkOutcome.Completed(2, 2));
        assertThat(ledger.positions).containsExactly("task-running", null);
        assertThat(ledger.leads).containsExactly(0, 2);
        awaitStored(s, ids);
    }

    @Test
    void a_page_that_asks_to_come_back_later_is_recorded_and_ends_the_invocation_without_asking_again() {
        Scenario s = Scenario.withMetaPage();
        Ledger ledger = new Ledger();
        List<String> asked = new ArrayList<>();
        LeadLister preparing = new LeadLister() {
            @Override
            public ProviderType type() {
                return ProviderType.META_LEAD_ADS;
            }

            /** Like a download task that is still running: nothing yet, whatever the position. */
            @Override
            public LeadPage page(Connection connection, ListRequest request) {
                asked.add(request.position());
                return LeadPage.comeBackAfter("task-running", Duration.ofSeconds(15));
            }
        };

        WalkOutcome outcome = walker.walk(step(s, preparing, ledger, null, Instant.now().plusSeconds(3)));

        assertThat(outcome).isEqualTo(new WalkOutcome.Waiting("task-running", Duration.ofSeconds(15), 1, 0));
        assertThat(asked).as("asked once, not again and again until the deadline").containsExactly((String) null);
        assertThat(ledger.positions).containsExactly("task-running");
    }

    @Test
    void no_page_is_started_when_less_than_the_longest_page_is_left_before_the_invocation_is_stopped() {
        Scenario s = Scenario.withMetaPage();
        List<String> ids = ids(7);
        Ledger ledger = new Ledger();
        OffsetLister lister = new OffsetLister(s.pageId, ids, 3, ledger);
        Instant now = Instant.now();
        // A whole minute of time box, but the function is stopped in 20 s and a page may take 30 s.
        WalkStep.TimeBox time = new WalkStep.TimeBox(now.plusSeconds(60), now.plusSeconds(20), Duration.ofSeconds(30));

        WalkOutcome first = walker.walk(step(s, lister, ledger, null, time, "walk-test-" + s.pageId));

        assertThat(first).isEqualTo(new WalkOutcome.Paused("3", 1, 3));
        assertThat(lister.asked).containsExactly((String) null);
    }

    private WalkStep step(Scenario s, LeadLister lister, WalkLedger ledger, String position, Instant deadline) {
        return step(s, lister, ledger, position, deadline, "walk-test-" + s.pageId);
    }

    /** A time box ending at {@code deadline}, in an invocation that is never stopped. */
    private WalkStep step(Scenario s, LeadLister lister, WalkLedger ledger, String position, Instant deadline,
            String key) {
        return step(s, lister, ledger, position, new WalkStep.TimeBox(deadline, Instant.MAX, Duration.ZERO), key);
    }

    private WalkStep step(Scenario s, LeadLister lister, WalkLedger ledger, String position, WalkStep.TimeBox time,
            String key) {
        Connection c = connections.connection(ProviderType.META_LEAD_ADS, s.pageId).orElseThrow();
        return new WalkStep(c, lister, new ListRequest(Instant.now().minus(Duration.ofDays(1)), Instant.now(), null,
                position), ledger, walker::queueAll, "import", key, time);
    }

    private static List<String> ids(int n) {
        String[] ids = new String[n];
        Arrays.setAll(ids, i -> Scenario.newLeadgenId());
        return List.of(ids);
    }

    private static String email(String id) {
        return "walked." + id + "@example.com";
    }

    private static void awaitStored(Scenario s, List<String> ids) {
        for (String id : ids) {
            String leadId = new LeadIdentity(s.accountId, ProviderType.META_LEAD_ADS, id).leadId();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    s.getLead(leadId).then().extract().jsonPath().getString("email")).isEqualTo(email(id)));
        }
    }
}
