package com.leadsync.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.account.AccountRepository;
import com.leadsync.model.Account;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/** {@code POST /accounts} and {@code GET /accounts} (admin only). */
@ApplicationScoped
public class AccountRoutes implements Routes {

    private static final Set<String> REGIONS = Set.of(Locale.getISOCountries());

    private final AccountRepository accounts;
    private final Clock clock;

    AccountRoutes(AccountRepository accounts, Clock clock) {
        this.accounts = accounts;
        this.clock = clock;
    }

    @Override
    public void register(Router<RouteHandler> router) {
        router.add("POST", "/accounts", this::create);
        router.add("GET", "/accounts", this::list);
    }

    HttpApiResponse list(Request req) {
        req.caller().requireAdmin("listing accounts");
        AccountRepository.Page page;
        try {
            page = accounts.list(req.pageLimit(), req.query("cursor", 1024));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("'cursor' is not one this listing gave out");
        }
        ObjectNode out = req.json().object();
        ArrayNode items = out.putArray("items");
        for (Account a : page.items()) {
            items.addObject().put("accountId", a.accountId()).put("name", a.name())
                    .put("defaultRegion", a.defaultRegion())
                    .put("createdAt", a.createdAt() == null ? null : a.createdAt().toString());
        }
        out.put("nextCursor", page.nextCursor());
        return req.json().ok(200, out);
    }

    HttpApiResponse create(Request req) {
        req.caller().requireAdmin("creating accounts");
        ObjectNode body = req.body();
        String name = Json.requiredText(body, "name");
        String region = Json.text(body, "defaultRegion");
        if (region != null) {
            region = region.trim().toUpperCase(Locale.ROOT);
            if (!REGIONS.contains(region)) {
                throw ApiError.invalid("'defaultRegion' must be an ISO 3166 two-letter country code");
            }
        }
        Account account = new Account("acc_" + UUID.randomUUID().toString().replace("-", ""), name, region,
                clock.instant());
        String key = ApiKeys.newKey();
        accounts.create(account, ApiKeys.hash(key));
        ObjectNode out = req.json().object();
        out.put("accountId", account.accountId());
        out.put("name", account.name());
        out.put("apiKey", key);
        out.put("defaultRegion", account.defaultRegion());
        out.put("createdAt", account.createdAt().toString());
        return req.json().ok(201, out);
    }
}
