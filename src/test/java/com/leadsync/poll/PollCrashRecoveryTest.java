package com.leadsync.poll;

import static com.leadsync.poll.PollTests.awaitDelivered;
import static com.leadsync.poll.PollTests.awaitPolled;
import static com.leadsync.poll.PollTests.connectionId;
import static com.leadsync.poll.PollTests.email;
import static com.leadsync.poll.PollTests.lead;
import static com.leadsync.poll.PollTests.leadId;
import static com.leadsync.poll.PollTests.sync;
import static com.leadsync.poll.PollTests.view;
import static com.leadsync.testing.Redelivery.staysTrue;
import static com.leadsync.testing.Scenario.HUBSPOT_UPSERT;
import static com.leadsync.testing.Scenario.posts;
import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.testing.CrashingProbe;
import com.leadsync.testing.MetaListingFake;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A crash right after each step of a poll (an Error at the step: nothing cleans up, as when a Lambda instance
 * dies): SQS redelivers the message once the visibility timeout is over, the lease has run out by then, and
 * the walk goes on from the last recorded page. Every lead arrives exactly once, the counters stay exact, and
 * at most one page is listed twice. One page per invocation here, so every step of a walk, continuations
 * included, runs at least once per poll.
 */
@QuarkusTest
@TestProfile(OneStepPerInvocation.class)
class PollCrashRecoveryTest {

    @BeforeEach
    void fakes() {
        Scenario.stubHubSpotOk();
        Scenario.stubOk("/subscriber/poll-crash");
    }

    /** {@code skip}: the occurrences of the step that pass first (walk steps: 0 forms, 1-2 form one, 3 form two). */
    @ParameterizedTest(name = "crash after {0} #{1}")
    @CsvSource({"poll.leased,0", "poll.started,0", "walk.fetched,1", "walk.published,1", "walk.published,3",
            "walk.recorded,1", "walk.recorded,3", "poll.released,1", "poll.continued,1"})
    void a_crash_after_a_poll_step_still_brings_every_lead_exactly_once(String step, int skip) {
        Scenario s = Scenario.withMetaPage();
        s.addHubSpot();
        s.subscribe("/subscriber/poll-crash", "crash-secret");
        String connectionId = connectionId(s);
        String f1 = s.pageId + "01";
        String f2 = s.pageId + "02";
        List<String> ids = List.of(Scenario.newLeadgenId(), Scenario.newLeadgenId(), Scenario.newLeadgenId(),
                Scenario.newLeadgenId(), Scenario.newLeadgenId());
        MetaListingFake.of(s).forms(5, f1, f2)
                .leads(f1, 2, lead(ids.get(0), f1), lead(ids.get(1), f1), lead(ids.get(2), f1), lead(ids.get(3), f1))
                .leads(f2, 2, lead(ids.get(4), f2));
        CrashingProbe.arm(step, connectionId, 1, skip);

        sync(s, connectionId);

        ids.forEach(id -> awaitDelivered(s, leadId(s, id)));
        awaitPolled(s, connectionId);
        assertThat(CrashingProbe.fired(step, connectionId)).as("the crash was injected").isEqualTo(1);
        assertThat(view(s, connectionId).getInt("lastPollLeads")).as("leads seen, each counted once").isEqualTo(5);
        assertThat(view(s, connectionId).getString("lastPollError")).isNull();
        staysTrue(() -> {
            for (String id : ids) {
                assertThat(posts(HUBSPOT_UPSERT, email(id))).as("upserts of %s", id).hasSize(1);
                assertThat(posts("/subscriber/poll-crash", email(id))).as("forwards of %s", id).hasSize(1);
            }
        });
        assertThat(s.listLeads().jsonPath().getList("items")).hasSize(5);

        // At most the page the crash interrupted was listed again.
        List<Integer> listed = List.of(
                MetaListingFake.requestsOfPage(s.pageId + "/leadgen_forms", 0).size(),
                MetaListingFake.requestsOfPage(f1 + "/leads", 0).size(),
                MetaListingFake.requestsOfPage(f1 + "/leads", 1).size(),
                MetaListingFake.requestsOfPage(f2 + "/leads", 0).size());
        assertThat(listed).allSatisfy(n -> assertThat(n).isBetween(1, 2));
        assertThat(listed.stream().mapToInt(Integer::intValue).sum()).isBetween(4, 5);
        if (step.equals("walk.fetched") || step.equals("walk.published")) {
            assertThat(listed.get(skip)).as("the interrupted page, listed again").isEqualTo(2);
        }
    }
}
