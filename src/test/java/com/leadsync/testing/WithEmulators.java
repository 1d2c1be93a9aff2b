package com.leadsync.testing;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers {@link Emulators} for every @QuarkusTest in the module. */
@QuarkusTestResource(value = Emulators.class, restrictToAnnotatedClass = false)
public final class WithEmulators {
    private WithEmulators() {
    }
}
