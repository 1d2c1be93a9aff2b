package com.leadsync.flow;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a {@code format} step does to a field (contract §8). {@code E164} uses the account's phone region. */
public enum TextFormat {
    TRIM, LOWER, UPPER, TITLE, E164, DIGITS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<TextFormat> fromWire(String name) {
        return Arrays.stream(values()).filter(f -> f.wireName().equals(name)).findFirst();
    }
}
