package com.leadsync.api;

import java.util.function.Predicate;

/**
 * Who is calling: an account (by its API key) or the operator (admin key), who may act for any account
 * that exists ({@code accountExists} asks the account store).
 */
public record Caller(String accountId, boolean admin, Predicate<String> accountExists) {

    /** No account id is this long (and a DynamoDB key stops at 2 KB): such a name is simply not found. */
    private static final int MAX_ACCOUNT_ID = 256;

    public static Caller ofAccount(String accountId) {
        return new Caller(accountId, false, accountId::equals);
    }

    public static Caller admin(Predicate<String> accountExists) {
        return new Caller(null, true, accountExists);
    }

    /**
     * The account a request acts on. An account key acts on its own account (naming another is "not
     * found": other tenants' existence is not disclosed); the admin key must name one that exists, so
     * nothing is ever created for an account that does not.
     */
    public String account(String requested) {
        if (admin) {
            if (requested == null || requested.isBlank()) {
                throw ApiError.invalid("the admin key must name the account: 'accountId' (body) or 'account_id' (query)");
            }
            if (requested.length() > MAX_ACCOUNT_ID || !accountExists.test(requested)) {
                throw ApiError.notFound("account " + abbreviated(requested) + " not found");
            }
            return requested;
        }
        if (requested != null && !requested.isBlank() && !requested.equals(accountId)) {
            throw ApiError.notFound("account " + abbreviated(requested) + " not found");
        }
        return accountId;
    }

    /** 403 unless this is the admin key; {@code what} says what needed it ("listing accounts"). */
    public void requireAdmin(String what) {
        if (!admin) {
            throw ApiError.forbidden(what + " needs the admin key");
        }
    }

    /** Whether a resource of {@code owner} is visible to this caller. */
    public boolean owns(String owner) {
        return admin || accountId.equals(owner);
    }

    private static String abbreviated(String id) {
        return id.length() > 64 ? id.substring(0, 64) + "..." : id;
    }
}
