package com.leadsync.source.google;

import com.leadsync.model.ProviderCallException;
import java.time.Duration;
import java.util.Set;

/**
 * A failed Google Ads API call with the {@code errorCode}s of its {@code GoogleAdsFailure} details, written as
 * {@code <errorType>.<code>} ({@code quotaError.RESOURCE_EXHAUSTED}), so a caller can act on one of them.
 * Classified by {@link GoogleAdsErrors}.
 */
class GoogleAdsFailure extends ProviderCallException {

    private final Set<String> errorCodes;

    GoogleAdsFailure(String message, Kind kind, Duration retryAfter, Set<String> errorCodes) {
        super(message, kind, retryAfter, null);
        this.errorCodes = Set.copyOf(errorCodes);
    }

    Set<String> errorCodes() {
        return errorCodes;
    }

    boolean has(String errorCode) {
        return errorCodes.contains(errorCode);
    }
}
