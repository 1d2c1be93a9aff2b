package com.leadsync.delivery.salesforce;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The org's 24-hour API allocation as every REST answer reports it: {@code Sforce-Limit-Info: api-usage=18/15000}. */
record ApiUsage(long used, long limit) {

    static final String HEADER = "Sforce-Limit-Info";
    private static final Pattern API_USAGE = Pattern.compile("api-usage=([0-9]{1,18})/([0-9]{1,18})");

    static Optional<ApiUsage> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = API_USAGE.matcher(header);
        return m.find() ? Optional.of(new ApiUsage(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))))
                : Optional.empty();
    }

    boolean spent() {
        return limit > 0 && used >= limit;
    }

    @Override
    public String toString() {
        return "api-usage=" + used + "/" + limit;
    }
}
