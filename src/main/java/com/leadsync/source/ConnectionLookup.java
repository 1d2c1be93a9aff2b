package com.leadsync.source;

import com.leadsync.model.Connection;
import java.util.Optional;

/** The connections a {@link WebhookReceiver} may route by, for its own provider. */
public interface ConnectionLookup {

    /** The connection of the provider-side account {@code externalId}. */
    Optional<Connection> byExternalId(String externalId);

    /**
     * The connection whose webhook secret (config {@code webhookKey}) equals {@code key}, compared in constant
     * time; empty when none does.
     */
    Optional<Connection> byWebhookKey(String key);
}
