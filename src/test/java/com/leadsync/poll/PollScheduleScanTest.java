package com.leadsync.poll;

import static com.leadsync.poll.PollTests.awaitPolled;
import static com.leadsync.poll.PollTests.connectionId;
import static org.assertj.core.api.Assertions.assertThat;

import com.leadsync.local.LocalFunctions;
import com.leadsync.testing.MetaListingFake;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schedule's scan of the connections table, when it outlasts one invocation. */
@QuarkusTest
@TestProfile(OneStepPerInvocation.class)
class PollScheduleScanTest {

    @Inject
    LocalFunctions functions;

    @Test
    void a_scan_longer_than_its_time_box_goes_on_from_the_poll_queue_until_every_connection_is_polled() {
        List<Scenario> pages = List.of(Scenario.withMetaPage(), Scenario.withMetaPage(), Scenario.withMetaPage());
        pages.forEach(s -> MetaListingFake.of(s).forms(5));

        Object result = functions.scheduled("poll-schedule");

        assertThat(result).isInstanceOfSatisfying(PollScheduler.ScheduleResult.class, r -> {
            assertThat(r.scanned()).isEqualTo(2);
            assertThat(r.continued()).isTrue();
        });
        pages.forEach(s -> awaitPolled(s, connectionId(s)));
    }
}
