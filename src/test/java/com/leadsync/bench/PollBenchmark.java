package com.leadsync.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.leadsync.delivery.DeliveryStatus;
import com.leadsync.model.LeadStatus;
import com.leadsync.queue.QueuePublisher;
import com.leadsync.store.TableNames;
import com.leadsync.testing.Fakes;
import com.leadsync.testing.GeneratedMetaListing;
import com.leadsync.testing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code ./mvnw -Pbench verify}: one Meta page connection whose one form holds {@code bench.poll-leads} leads
 * (default 20,000), listed by a Graph fake that generates each page from its cursor ({@link GeneratedMetaListing}),
 * with one HTTP CRM destination. "Sync now", then the poll worker walks the listing (time-boxed invocations and their
 * continuations, as in production) and the pipeline stores and delivers every lead. Prints one line starting
 * {@code poll:}: leads/s from the sync's 202 to the last lead delivered at the destination (so stored and
 * dispatched), and the live heap's peak growth while the worker walks, for that listing and for one a quarter its size
 * ({@code bench.poll-compare}), so that a reader sees whether it grows with the leads.
 *
 * <p>The heap figure: the live heap (after a full GC) sampled on the fake's thread while the worker waits for 8 of
 * its pages spread over the listing, the last one included (a walker keeping the pages it listed would hold nearly
 * all of them then), minus the live heap before the sync. The SQS emulator runs in a JVM of its own here
 * ({@link ForkedSqs}): in this one, the leads queued for normalize, and the deleted messages ElasticMQ keeps until
 * their visibility timeout ends, would count as the worker's. What is left is this JVM's: the worker, the rest of the
 * pipeline (normalize and deliver, working meanwhile) and the fakes. For scale it also prints what the listing's
 * leads take as parsed JSON (the least a page list would hold).
 *
 * <p>It asserts that the work happened, nothing about speed: the poll ended ok with {@code lastPollLeads} = N, every
 * lead page was listed once, the account has exactly N leads, all dispatched, each delivered once (one attempt), and
 * the destination got N posts.
 */
@QuarkusTest
@TestProfile(ListingWalkProfile.class)
class PollBenchmark {

    private static final int HEAP_SAMPLES = 8;

    @Inject
    QueuePublisher queues;
    @Inject
    DynamoDbClient dynamo;
    @Inject
    TableNames tables;
    @ConfigProperty(name = "quarkus.sqs.endpoint-override")
    URI sqsEndpoint;
    @ConfigProperty(name = "leadsync.queues.poll")
    String pollQueue;
    @ConfigProperty(name = "leadsync.meta.list-page-size")
    int pageSize;

    private PipelineWatch watch;

    /** One polled listing: what was walked, its timings (System.nanoTime) and the heap samples. */
    private record Walk(int leads, int pages, long startNanos, long listedNanos, long storedNanos, HeapSamples heap,
            GeneratedMetaListing listing) {

        double seconds() {
            return (storedNanos - startNanos) / 1e9;
        }

        double leadsPerSecond() {
            return leads / seconds();
        }
    }

    @BeforeEach
    void openWatch() {
        watch = new PipelineWatch(dynamo, tables, sqsEndpoint);
    }

    @AfterEach
    void closeWatch() {
        watch.close();
    }

    @Test
    void one_connection_polled_through_a_long_listing_stores_every_lead_once_at_a_flat_heap() throws IOException {
        int n = Integer.getInteger("bench.poll-leads", 20_000);
        String compareProperty = System.getProperty("bench.poll-compare", "");
        int compare = compareProperty.isBlank() ? Math.max(1, n / 4) : Integer.parseInt(compareProperty.trim());
        int warmup = Integer.getInteger("bench.warmup", 300);

        // Warm-up (not reported): class loading, JIT, the first SDK calls; the smaller listing then runs warm too.
        poll(warmup, "warmup");
        Walk small = poll(compare, "compare");
        Walk big = poll(n, "measured");
        double heldMb = HeapSamples.parsedListingMb(big.listing(), n);

        System.out.printf(Locale.ROOT, "poll: %d leads in %d pages of %d (1 Meta page connection, 1 form, 1 HTTP CRM "
                        + "destination): %.1f leads/s from sync (202) to the last lead stored and delivered (%.1f s; "
                        + "the listing walked in %.1f s, %.1f s of it in the heap samples' full GCs); poll worker's "
                        + "peak heap growth %.1f MB (live heap after full GC, %d samples during the walk) vs %.1f MB "
                        + "for %d leads (%d pages, %.1f leads/s); the %d leads as parsed JSON would take %.1f MB%n",
                big.leads(), big.pages(), pageSize, big.leadsPerSecond(), big.seconds(),
                (big.listedNanos() - big.startNanos()) / 1e9, big.heap().pauseNanos() / 1e9,
                big.heap().peakGrowthMb(), big.heap().taken(), small.heap().peakGrowthMb(), small.leads(),
                small.pages(), small.leadsPerSecond(), n, heldMb);
        System.out.println("poll heap samples, MB above the live heap before the sync: " + n + " leads "
                + big.heap().describe() + "; " + compare + " leads " + small.heap().describe());
    }

    /** A new account, page connection and destination; sync; waits until every lead is delivered, and checks it. */
    private Walk poll(int count, String label) {
        Scenario s = Scenario.withMetaPage();
        String sink = "/bench/poll-sink/" + label + "-" + s.pageId;
        s.addHttpCrm(sink);
        Scenario.stubOk(sink);
        String connectionId = Scenario.given().header("x-api-key", s.apiKey).get("/connections").then()
                .statusCode(200).extract().jsonPath()
                .getString("items.find { it.externalId == '" + s.pageId + "' }.id");
        HeapSamples heap = new HeapSamples(HEAP_SAMPLES);
        // Submitted over the seconds before now: inside the first poll's window (it looks back 24 h).
        GeneratedMetaListing listing = GeneratedMetaListing.stub(s, s.pageId + "01", count,
                Instant.now().minusSeconds(60), heap);
        awaitIdle();
        heap.takeBaseline();

        Scenario.given().header("x-api-key", s.apiKey).post("/connections/" + connectionId + "/sync")
                .then().statusCode(202);
        long start = System.nanoTime();
        await().atMost(Duration.ofHours(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> Fakes.count("POST", sink) >= count);
        long stored = System.nanoTime();

        awaitIdle();
        JsonPath view = Scenario.given().header("x-api-key", s.apiKey).get("/connections/" + connectionId).then()
                .statusCode(200).extract().jsonPath();
        assertThat(view.getString("lastPollStatus")).as("lastPollStatus").isEqualTo("ok");
        assertThat(view.getInt("lastPollLeads")).as("lastPollLeads").isEqualTo(count);
        assertThat(Fakes.count("POST", sink)).as("posts to the destination").isEqualTo(count);
        assertThat(watch.leadsByStatus(s.accountId)).as("the account's leads by status")
                .isEqualTo(Map.of(LeadStatus.DISPATCHED.name(), (long) count));
        assertThat(watch.deliveriesByOutcome(s.accountId)).as("the account's deliveries by status/attempts")
                .isEqualTo(Map.of(DeliveryStatus.DELIVERED.wireName() + "/1", (long) count));
        int pages = Math.max(1, (count + pageSize - 1) / pageSize);
        assertThat(listing.pagesServed()).as("lead pages listed (each once)").isEqualTo(pages);
        return new Walk(count, pages, start, listing.lastPageServedNanos(), stored, heap, listing);
    }

    /** Nothing queued, in flight or delayed on the ingest, deliver and poll queues. */
    private void awaitIdle() {
        watch.awaitIdle(List.of(queues.ingestUrl(), queues.deliverUrl(), queues.url(pollQueue)));
    }
}
