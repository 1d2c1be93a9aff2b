package com.leadsync.lead;

import com.leadsync.crypto.Sha256;
import com.leadsync.model.ProviderType;
import java.util.HexFormat;

/**
 * The dedup identity of a lead. Our {@code leadId} is derived from it, so "claim the identity" and
 * "create the lead record" are one conditional write on one key, and every path (webhook, poll,
 * import) arrives at the same id without a lookup.
 */
public record LeadIdentity(String accountId, ProviderType providerType, String providerLeadId) {

    public String leadId() {
        byte[] digest = Sha256.digest(accountId + '\n' + providerType.wireName() + '\n' + providerLeadId);
        return "ld_" + HexFormat.of().formatHex(digest, 0, 16);
    }
}
