package com.leadsync.flow;

import com.leadsync.model.ProviderType;
import com.leadsync.model.StoredLead;
import java.util.List;

/** Which new leads a flow runs on: an empty list places no limit (contract §8 {@code trigger}). */
public record Trigger(List<ProviderType> providerTypes, List<String> formIds) {

    public static final Trigger ANY = new Trigger(List.of(), List.of());

    public Trigger {
        providerTypes = providerTypes == null ? List.of() : List.copyOf(providerTypes);
        formIds = formIds == null ? List.of() : List.copyOf(formIds);
    }

    public boolean matches(StoredLead lead) {
        return (providerTypes.isEmpty() || providerTypes.contains(lead.providerType()))
                && (formIds.isEmpty() || (lead.formId() != null && formIds.contains(lead.formId())));
    }
}
