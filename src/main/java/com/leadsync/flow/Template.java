package com.leadsync.flow;

import java.util.List;

/** A {@code set} value: literal text and {@code {{field}}} placeholders, parsed on write ({@code source} as given). */
public record Template(String source, List<Part> parts) {

    public Template {
        parts = List.copyOf(parts);
    }

    public sealed interface Part {
    }

    public record Literal(String text) implements Part {
    }

    public record Placeholder(FieldRef field) implements Part {
    }
}
