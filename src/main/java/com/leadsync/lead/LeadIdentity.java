package com.leadsync.lead;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The dedup identity of a lead. Our {@code leadId} is derived from it, so "claim the identity" and
 * "create the lead record" are one conditional write on one key, and every path (webhook, poll,
 * import) arrives at the same id without a lookup.
 */
public record LeadIdentity(String accountId, ProviderType providerType, String providerLeadId) {

    public String leadId() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest((accountId + '\n' + providerType.wireName() + '\n' + providerLeadId)
                    .getBytes(StandardCharsets.UTF_8));
            return "ld_" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
