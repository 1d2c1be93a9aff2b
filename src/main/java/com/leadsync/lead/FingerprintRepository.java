package com.leadsync.lead;

import com.leadsync.model.ProviderType;

/**
 * The cross-channel claim (implemented in {@code store/}): the submissions registered under each fingerprint of an
 * account and provider, so that one submission reported under two ids becomes one lead.
 */
public interface FingerprintRepository {

    /**
     * Registers {@code leadId}'s submission under {@code fingerprint} unless another lead registered the same
     * submission (within the tolerance) before; returns the lead this submission is: {@code leadId} when registered
     * (now or by an earlier delivery of it), else that other lead. Race-safe: of the same submission registered at
     * once under two leads, exactly one is registered and the other is its duplicate.
     */
    String register(String accountId, ProviderType providerType, LeadFingerprint fingerprint, String leadId);
}
