package com.leadsync.delivery;

import java.util.List;

/**
 * What {@code POST /crm/destinations/{id}/test} found: {@code ok} when the credentials work and every CRM field the
 * mapping writes exists; {@code unknownFields} names those that do not. Nothing was created to find out.
 */
public record CheckReport(boolean ok, String message, List<String> unknownFields) {

    public CheckReport {
        unknownFields = unknownFields == null ? List.of() : List.copyOf(unknownFields);
    }

    public static CheckReport passed(String message) {
        return new CheckReport(true, message, List.of());
    }

    /** Credentials work; {@code unknown} (if any) are CRM fields in the mapping that the CRM does not have. */
    public static CheckReport fields(String crm, List<String> unknown) {
        if (unknown.isEmpty()) {
            return passed("credentials accepted by " + crm + "; every mapped field exists");
        }
        return new CheckReport(false, "credentials accepted by " + crm + ", but the mapping writes fields " + crm
                + " does not have: " + String.join(", ", unknown), unknown);
    }

    public static CheckReport notCheckable(String message) {
        return new CheckReport(true, message, List.of());
    }
}
