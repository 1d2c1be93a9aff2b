package com.leadsync.model;

import java.util.Map;

/**
 * Whatever holds OAuth tokens for us — a connection today, a CRM destination next — as {@link TokenKeeper}
 * needs to know it: a name for messages, the issuer whose {@link TokenRefresher} renews its grant, and the
 * config that refresher reads.
 */
public interface TokenHolder {

    /** How messages name it, e.g. {@code connection con_1}; never a secret. */
    String holderName();

    /** The wire name of the {@link TokenRefresher} for its grant. */
    String issuer();

    Map<String, String> config();
}
