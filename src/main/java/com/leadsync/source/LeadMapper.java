package com.leadsync.source;

import com.leadsync.model.NormalizedLead;
import com.leadsync.model.ProviderType;

/** The capability to turn a provider's lead (as fetched, pushed or listed) into the contract's shape. */
public interface LeadMapper {

    ProviderType type();

    /** Throws {@link MalformedPayloadException} when the payload lacks what every lead of the provider has. */
    NormalizedLead map(ProviderLead lead, MappingContext context);
}
