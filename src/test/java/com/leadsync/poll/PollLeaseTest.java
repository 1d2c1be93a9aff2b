package com.leadsync.poll;

import static com.leadsync.poll.PollTests.awaitPolled;
import static com.leadsync.poll.PollTests.connectionId;
import static com.leadsync.poll.PollTests.lead;
import static com.leadsync.poll.PollTests.view;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderType;
import com.leadsync.testing.MetaListingFake;
import com.leadsync.testing.PipelineProfile;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The poll lease: however many polls of one connection arrive at once, one walks it at a time. */
@QuarkusTest
@TestProfile(PipelineProfile.class)
class PollLeaseTest {

    private static final int DELAY_MS = 400;

    @Inject
    PollWorker worker;
    @Inject
    PollStates states;

    /** A new poll asked four times at once, or four continuations of a walk in progress (all holding no lease). */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void four_polls_of_one_connection_at_once_never_overlap_and_list_each_page_once(boolean walkInProgress)
            throws Exception {
        Scenario s = Scenario.withMetaPage();
        String connectionId = connectionId(s);
        String form = s.pageId + "01";
        List<String> leads = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            leads.add(lead(Scenario.newLeadgenId(), form));
        }
        // Every Graph answer takes 400 ms, so two walkers at once would put two requests within 400 ms.
        MetaListingFake.of(s).delayed(DELAY_MS).forms(5, form).leads(form, 1, leads.toArray(String[]::new));
        PollMessage poll = PollMessage.poll(connectionId, ProviderType.META_LEAD_ADS, s.pageId, Instant.now());
        if (walkInProgress) {
            String route = Connection.routeKey(ProviderType.META_LEAD_ADS, s.pageId);
            Instant now = Instant.now();
            assertThat(states.takeLease(route, connectionId, "setup", now, now.plusSeconds(60))).isTrue();
            states.startWalk(route, connectionId, "setup", new PollState.Walk("walk_raced", now.minusSeconds(3600),
                    now, null, 0));
            states.release(route, connectionId, "setup");
            poll = PollMessage.proceed(connectionId, ProviderType.META_LEAD_ADS, s.pageId, "walk_raced", now);
        }
        PollMessage raced = poll;

        ExecutorService racers = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String owner = "racer-" + i;
            done.add(racers.submit(() -> {
                start.await();
                worker.handle(raced, owner);
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        racers.shutdown();

        awaitPolled(s, connectionId);
        assertThat(view(s, connectionId).getInt("lastPollLeads")).isEqualTo(6);
        List<LoggedRequest> calls = new ArrayList<>(MetaListingFake.requests(s.pageId + "/leadgen_forms"));
        calls.addAll(MetaListingFake.requests(form + "/leads"));
        calls.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
        assertThat(calls).as("forms once, then each of the 6 lead pages once").hasSize(7);
        for (int i = 1; i < calls.size(); i++) {
            assertThat(Duration.between(calls.get(i - 1).getLoggedDate().toInstant(),
                    calls.get(i).getLoggedDate().toInstant()))
                    .as("gap before listing call %d", i).isGreaterThanOrEqualTo(Duration.ofMillis(DELAY_MS - 20));
        }
    }
}
