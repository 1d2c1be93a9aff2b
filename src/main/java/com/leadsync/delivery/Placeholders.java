package com.leadsync.delivery;

import com.leadsync.model.StoredLead;

/**
 * Values for a CRM's required fields that a lead lacks (contract §7): a last name is the lead's {@code lastName},
 * else its {@code fullName}, else {@link #NOT_PROVIDED}; a company is {@code company}, else {@link #NOT_PROVIDED}.
 */
public final class Placeholders {

    public static final String NOT_PROVIDED = "[not provided]";

    private Placeholders() {
    }

    public static String lastName(StoredLead lead) {
        return firstPresent(lead.lastName(), lead.fullName());
    }

    public static String company(StoredLead lead) {
        return firstPresent(lead.company(), null);
    }

    private static String firstPresent(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a.trim();
        }
        if (b != null && !b.isBlank()) {
            return b.trim();
        }
        return NOT_PROVIDED;
    }
}
