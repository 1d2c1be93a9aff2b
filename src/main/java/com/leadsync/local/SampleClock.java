package com.leadsync.local;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * When the sample leads were submitted, as the offline fakes tell it. The samples are written with fixed times just
 * before {@code leadsync.local.samples-written-at}; served as written they would soon fall outside every poll's
 * window (the first poll looks back 24 h). So every fake moves every sample time forward by the same whole number
 * of hours, the hours from then to when local mode started: a sample written 30 minutes before that instant reads
 * as submitted 30 to 90 minutes before start, minutes and seconds unchanged. Filters are applied to the moved times.
 */
@ApplicationScoped
public class SampleClock {

    private final Duration shift;

    @Inject
    SampleClock(@ConfigProperty(name = "leadsync.local.samples-written-at", defaultValue = "2026-03-07T15:00:00Z")
            Instant writtenAt, Clock clock) {
        this(writtenAt, clock.instant());
    }

    SampleClock(Instant writtenAt, Instant start) {
        this.shift = Duration.ofHours(Duration.between(writtenAt, start).toHours());
    }

    /** The time a sample written at {@code written} is shown with. */
    Instant present(Instant written) {
        return written.plus(shift);
    }
}
