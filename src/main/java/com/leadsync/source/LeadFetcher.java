package com.leadsync.source;

import com.leadsync.model.Connection;
import com.leadsync.model.ProviderType;

/** The capability to fetch one lead whose webhook carried ids only (Meta, LinkedIn). */
public interface LeadFetcher {

    ProviderType type();

    /** The lead as the provider returns it; throws {@code ProviderCallException}. */
    ProviderLead fetch(Connection connection, LeadNotice notice);
}
