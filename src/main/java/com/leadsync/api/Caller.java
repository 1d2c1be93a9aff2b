package com.leadsync.api;

/** Who is calling: an account (by its API key) or the operator (admin key), who may act for any account. */
public record Caller(String accountId, boolean admin) {

    /**
     * The account a request acts on. An account key acts on its own account (naming another is "not
     * found": other tenants' existence is not disclosed); the admin key must name one.
     */
    public String account(String requested) {
        if (admin) {
            if (requested == null || requested.isBlank()) {
                throw ApiError.invalid("the admin key must name the account: 'accountId' (body) or 'account_id' (query)");
            }
            return requested;
        }
        if (requested != null && !requested.isBlank() && !requested.equals(accountId)) {
            throw ApiError.notFound("account " + requested + " not found");
        }
        return accountId;
    }

    /** Whether a resource of {@code owner} is visible to this caller. */
    public boolean owns(String owner) {
        return admin || accountId.equals(owner);
    }
}
