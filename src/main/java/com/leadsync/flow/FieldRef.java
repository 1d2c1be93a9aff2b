package com.leadsync.flow;

import java.util.List;
import java.util.Optional;

/**
 * A field a flow reads or writes: a lead field ({@code email}), {@code customFields.x} or {@code rawFieldData.x}
 * ({@code x} any key, dots included). {@code path} is the wire form.
 */
public record FieldRef(Kind kind, String name) {

    public enum Kind { LEAD, CUSTOM, RAW }

    /** Lead fields a condition or a template may read. */
    public static final List<String> READABLE = List.of("providerType", "providerLeadId", "email", "firstName",
            "lastName", "fullName", "phoneNumber", "company", "receivedAt", "formId", "adId", "campaignId");
    /** Lead fields a {@code set} or {@code format} step may write (besides {@code customFields.x}). */
    public static final List<String> WRITABLE = List.of("email", "firstName", "lastName", "fullName", "phoneNumber",
            "company");

    private static final String CUSTOM = "customFields.";
    private static final String RAW = "rawFieldData.";

    /** The field {@code path} names, or empty when it names none. */
    public static Optional<FieldRef> parse(String path) {
        if (path == null) {
            return Optional.empty();
        }
        if (path.startsWith(CUSTOM) && path.length() > CUSTOM.length()) {
            return Optional.of(new FieldRef(Kind.CUSTOM, path.substring(CUSTOM.length())));
        }
        if (path.startsWith(RAW) && path.length() > RAW.length()) {
            return Optional.of(new FieldRef(Kind.RAW, path.substring(RAW.length())));
        }
        return READABLE.contains(path) ? Optional.of(new FieldRef(Kind.LEAD, path)) : Optional.empty();
    }

    public boolean writable() {
        return kind == Kind.CUSTOM || (kind == Kind.LEAD && WRITABLE.contains(name));
    }

    public String path() {
        return switch (kind) {
            case LEAD -> name;
            case CUSTOM -> CUSTOM + name;
            case RAW -> RAW + name;
        };
    }

    @Override
    public String toString() {
        return path();
    }
}
