package com.leadsync.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.leadsync.model.ProviderType;
import com.leadsync.model.StoredLead;
import java.time.Instant;
import java.util.Map;

/** Leads and a JSON mapper shaped like the running app's, shared by the destination tests. */
public final class DestinationTestLeads {

    private DestinationTestLeads() {
    }

    /** Configured like Quarkus' default ObjectMapper: Instants as ISO strings. */
    public static ObjectMapper json() {
        return new ObjectMapper().findAndRegisterModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    public static StoredLead lead() {
        return new StoredLead("ld_0123456789abcdef0123456789abcdef", "acc_1", ProviderType.META_LEAD_ADS,
                "1234567890", "ana@example.com", "Ana", "García López", "Ana García López", "+14155550123",
                "Acme Corp", Map.of("city", "Madrid", "zip_code", "28001"), Map.of("budget", "5000"),
                Instant.parse("2026-03-07T14:30:00Z"), "form_9", "ad_7", "camp_5", false,
                Instant.parse("2026-03-07T14:30:02Z"));
    }

    public static StoredLead withoutEmail() {
        StoredLead l = lead();
        return new StoredLead(l.leadId(), l.accountId(), l.providerType(), l.providerLeadId(), null, l.firstName(),
                l.lastName(), l.fullName(), l.phoneNumber(), null, l.rawFieldData(), l.customFields(),
                l.receivedAt(), l.formId(), null, null, l.isTest(), l.storedAt());
    }

    public static DeliveryTarget target(String type, Map<String, String> config, Map<String, String> fieldMapping) {
        return new DeliveryTarget("dst_1", "acc_1", type, "test " + type, true, config, fieldMapping);
    }
}
