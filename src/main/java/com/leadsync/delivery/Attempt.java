package com.leadsync.delivery;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/** One send to a destination, as recorded in the delivery's log. {@code outcome}: delivered|retryable|permanent. */
@RegisterForReflection
public record Attempt(Instant at, String outcome, Integer httpStatus, String detail) {
}
