package com.leadsync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.testing.GeneratedMetaListing;
import java.io.IOException;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The live heap ({@link LiveHeap}) of a walker working through a {@link GeneratedMetaListing}: one reading before the
 * walk starts ({@link #takeBaseline}) and one before each of {@code samples} pages spread over the listing, the last
 * one included, taken on the fake's thread while the walker waits for that page (a walker keeping the pages it listed
 * would hold nearly all of them at the last one). The figure is the highest reading minus the baseline.
 */
final class HeapSamples implements GeneratedMetaListing.PageGate {

    private static final double MB = 1024.0 * 1024.0;

    private final int wanted;
    private final List<Long> samples = new ArrayList<>();
    private long baseline = -1;
    private long pauseNanos;

    HeapSamples(int wanted) {
        this.wanted = wanted;
    }

    /** The live heap before the walk: call it once the pipeline is idle, right before the walk is started. */
    synchronized void takeBaseline() {
        baseline = LiveHeap.afterFullGc();
    }

    @Override
    public synchronized void beforePage(int page, int pages) {
        if ((long) (page + 1) * wanted / pages > (long) page * wanted / pages) {
            long t0 = System.nanoTime();
            samples.add(LiveHeap.afterFullGc());
            pauseNanos += System.nanoTime() - t0;
        }
    }

    synchronized int taken() {
        return samples.size();
    }

    /** Time the walker waited for its pages because of the samples (their full GCs). */
    synchronized long pauseNanos() {
        return pauseNanos;
    }

    /** The highest reading during the walk above the one before it, in MB. */
    synchronized double peakGrowthMb() {
        if (baseline < 0 || samples.isEmpty()) {
            throw new IllegalStateException("no baseline or no sample taken");
        }
        return (samples.stream().mapToLong(Long::longValue).max().orElseThrow() - baseline) / MB;
    }

    /** Every reading above the baseline, in MB, e.g. {@code [0.4 0.1 0.5]}. */
    synchronized String describe() {
        return samples.stream().map(b -> String.format(Locale.ROOT, "%.1f", (b - baseline) / MB))
                .collect(Collectors.joining(" ", "[", "]"));
    }

    /**
     * What the first {@code count} leads of the listing take on the heap as parsed JSON trees, in MB: the least a
     * walker holding the whole listing would hold, for scale.
     */
    static double parsedListingMb(GeneratedMetaListing listing, int count) throws IOException {
        ObjectMapper json = new ObjectMapper();
        long before = LiveHeap.afterFullGc();
        List<JsonNode> held = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            held.add(json.readTree(listing.lead(i)));
        }
        long after = LiveHeap.afterFullGc();
        Reference.reachabilityFence(held);
        return (after - before) / MB;
    }
}
