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
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code ./mvnw -Pbench verify}: a bulk import ({@code POST /leads/import}) of one Meta form holding
 * {@code bench.import-leads} leads (default 50,000), listed in pages of {@code leadsync.meta.list-page-size} (100) by
 * a Graph fake that generates each page from its cursor ({@link GeneratedMetaListing}), into one account with one
 * HubSpot destination. The import function works one page per message, as in production, and the pipeline stores
 * and delivers every lead. Prints one line starting {@code import:} with two rates from the 202: to the job's
 * {@code completedAt} (every page listed, counted and its leads handed to normalize) and to the last lead delivered
 * to HubSpot (every lead stored and delivered); and the live heap's peak growth while the import worker walks, for
 * that import and for one a quarter its size ({@code bench.import-compare}), so a reader sees whether it grows with
 * the leads.
 *
 * <p>The heap figure is taken as {@link PollBenchmark}'s ({@link HeapSamples}: 8 full-GC readings on the fake's
 * thread while the worker waits for a page, minus the one before the start), with SQS in a JVM of its own
 * ({@link ForkedSqs}), so the leads queued for normalize are not counted as the worker's; the rest of the pipeline
 * (normalize and deliver, working meanwhile) and the fakes are.
 *
 * <p>It asserts that the work happened, nothing about speed: the job completed with {@code pagesFetched} = N / 100,
 * {@code leadsSeen} = {@code leadsNew} = N, no duplicates, no errors and no {@code lastError}; every lead page was
 * listed once; the account has exactly N leads, all dispatched, each delivered once (one attempt); HubSpot got N
 * upserts.
 */
@QuarkusTest
@TestProfile(ListingWalkProfile.class)
class ImportBenchmark {

    private static final int HEAP_SAMPLES = 8;
    private static final Set<String> ENDED = Set.of("completed", "failed", "cancelled");

    @Inject
    QueuePublisher queues;
    @Inject
    DynamoDbClient dynamo;
    @Inject
    TableNames tables;
    @ConfigProperty(name = "quarkus.sqs.endpoint-override")
    URI sqsEndpoint;
    @ConfigProperty(name = "leadsync.queues.import")
    String importQueue;
    @ConfigProperty(name = "leadsync.meta.list-page-size")
    int pageSize;

    private PipelineWatch watch;

    /** One import: what was listed, its timings from the 202 and the heap samples. */
    private record Run(int leads, int pages, Duration toCompleted, Duration toDelivered, HeapSamples heap,
            GeneratedMetaListing listing) {

        double completedPerSecond() {
            return leads / seconds(toCompleted);
        }

        double deliveredPerSecond() {
            return leads / seconds(toDelivered);
        }
    }

    @BeforeEach
    void openWatch() {
        watch = new PipelineWatch(dynamo, tables, sqsEndpoint);
        Scenario.stubHubSpotOk();
    }

    @AfterEach
    void closeWatch() {
        watch.close();
    }

    @Test
    void a_meta_import_of_a_long_listing_counts_exactly_and_delivers_each_lead_once_at_a_flat_heap()
            throws IOException {
        int n = Integer.getInteger("bench.import-leads", 50_000);
        String compareProperty = System.getProperty("bench.import-compare", "");
        int compare = compareProperty.isBlank() ? Math.max(1, n / 4) : Integer.parseInt(compareProperty.trim());
        int warmup = Integer.getInteger("bench.warmup", 300);

        // Warm-up (not reported): the import path's first calls and JIT; the smaller import then runs warm too.
        importForm(warmup);
        Run small = importForm(compare);
        Run big = importForm(n);
        double heldMb = HeapSamples.parsedListingMb(big.listing(), n);

        System.out.printf(Locale.ROOT, "import: %d Meta leads in %d pages of %d (1 connection, 1 form, 1 HubSpot "
                        + "destination): %.1f leads/s from start (202) to the job completed (%.1f s, its completedAt; "
                        + "%.1f s of it in the heap samples' full GCs), %.1f leads/s from start to the last lead "
                        + "delivered to HubSpot (%.1f s); import worker's peak heap growth %.1f MB (live heap after "
                        + "full GC, %d samples during the import) vs %.1f MB for %d leads (%d pages, %.1f leads/s to "
                        + "completed, %.1f to delivered); the %d leads as parsed JSON would take %.1f MB%n",
                big.leads(), big.pages(), pageSize, big.completedPerSecond(), seconds(big.toCompleted()),
                big.heap().pauseNanos() / 1e9, big.deliveredPerSecond(), seconds(big.toDelivered()),
                big.heap().peakGrowthMb(), big.heap().taken(), small.heap().peakGrowthMb(), small.leads(),
                small.pages(), small.completedPerSecond(), small.deliveredPerSecond(), n, heldMb);
        System.out.println("import heap samples, MB above the live heap before the start: " + n + " leads "
                + big.heap().describe() + "; " + compare + " leads " + small.heap().describe());
    }

    /**
     * A new account, page connection and HubSpot destination; imports the form; waits until the job has ended and
     * every lead is delivered, and checks it.
     */
    private Run importForm(int count) {
        Scenario s = Scenario.withMetaPage();
        s.addHubSpot();
        HeapSamples heap = new HeapSamples(HEAP_SAMPLES);
        // Submitted over the hours before now: inside the import's default window (365 days back).
        GeneratedMetaListing listing = GeneratedMetaListing.stub(s, s.pageId + "01", count,
                Instant.now().minusSeconds(60), heap);
        long upsertsBefore = upserts();
        awaitIdle();
        heap.takeBaseline();

        String jobId = Scenario.given().header("x-api-key", s.apiKey).contentType("application/json")
                .body(Map.of("providerType", "meta_lead_ads", "formId", s.pageId + "01")).post("/leads/import")
                .then().statusCode(202).extract().jsonPath().getString("jobId");
        Instant accepted = Instant.now();
        long acceptedNanos = System.nanoTime();
        // The job is looked at once a second (each look is an API call the pipeline serves); HubSpot's count, which
        // costs the pipeline nothing, every 50 ms, in both waits: the listing usually ends long before the deliveries.
        AtomicLong deliveredNanos = new AtomicLong();
        Runnable noteDelivered = () -> {
            if (deliveredNanos.get() == 0 && upserts() - upsertsBefore >= count) {
                deliveredNanos.set(System.nanoTime());
            }
        };
        JsonPath ended = await().atMost(Duration.ofHours(1)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    noteDelivered.run();
                    return job(s, jobId);
                }, j -> ENDED.contains(j.getString("status")));
        assertThat(ended.getString("status")).as("the job's status (lastError: %s)", ended.getString("lastError"))
                .isEqualTo("completed");
        await().atMost(Duration.ofHours(1)).pollInterval(Duration.ofMillis(50)).until(() -> {
            noteDelivered.run();
            return deliveredNanos.get() != 0;
        });

        awaitIdle();
        int pages = Math.max(1, (count + pageSize - 1) / pageSize);
        JsonPath done = job(s, jobId);
        assertThat(done.getLong("pagesFetched")).as("pagesFetched").isEqualTo(pages);
        assertThat(done.getLong("leadsSeen")).as("leadsSeen").isEqualTo(count);
        assertThat(done.getLong("leadsNew")).as("leadsNew").isEqualTo(count);
        assertThat(done.getLong("duplicates")).as("duplicates").isZero();
        assertThat(done.getLong("errors")).as("errors").isZero();
        assertThat(done.getString("lastError")).as("lastError").isNull();
        assertThat(listing.pagesServed()).as("lead pages listed (each once)").isEqualTo(pages);
        assertThat(upserts() - upsertsBefore).as("upserts at HubSpot").isEqualTo(count);
        assertThat(watch.leadsByStatus(s.accountId)).as("the account's leads by status")
                .isEqualTo(Map.of(LeadStatus.DISPATCHED.name(), (long) count));
        assertThat(watch.deliveriesByOutcome(s.accountId)).as("the account's deliveries by status/attempts")
                .isEqualTo(Map.of(DeliveryStatus.DELIVERED.wireName() + "/1", (long) count));
        return new Run(count, pages, Duration.between(accepted, Instant.parse(done.getString("completedAt"))),
                Duration.ofNanos(deliveredNanos.get() - acceptedNanos), heap, listing);
    }

    private static JsonPath job(Scenario s, String jobId) {
        return Scenario.given().header("x-api-key", s.apiKey).get("/leads/import/" + jobId).then().statusCode(200)
                .extract().jsonPath();
    }

    private static long upserts() {
        return Fakes.count("POST", Scenario.HUBSPOT_UPSERT);
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    /** Nothing queued, in flight or delayed on the ingest, deliver and import queues. */
    private void awaitIdle() {
        watch.awaitIdle(List.of(queues.ingestUrl(), queues.deliverUrl(), queues.url(importQueue)));
    }
}
