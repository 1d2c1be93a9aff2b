package com.leadsync.flow;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A condition's operator (contract §8). */
public enum Op {
    EQUALS, NOT_EQUALS, CONTAINS, STARTS_WITH, ENDS_WITH, EXISTS, NOT_EXISTS, IN, MATCHES, GT, LT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Op> fromWire(String name) {
        return Arrays.stream(values()).filter(o -> o.wireName().equals(name)).findFirst();
    }

    /** {@code exists} and {@code not_exists} take no value; every other op needs one. */
    public boolean takesValue() {
        return this != EXISTS && this != NOT_EXISTS;
    }
}
