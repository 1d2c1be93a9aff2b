package com.leadsync.source;

import com.leadsync.lead.NormalizedLead;
import com.leadsync.lead.ProviderType;

/** The capability to turn a provider's lead (as fetched, pushed or listed) into the contract's shape. */
public interface LeadMapper {

    ProviderType type();

    /** Throws {@link MalformedPayloadException} when the payload lacks what every lead of the provider has. */
    NormalizedLead map(ProviderLead lead, MappingContext context);
}
