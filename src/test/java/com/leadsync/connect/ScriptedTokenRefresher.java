package com.leadsync.connect;

import com.leadsync.model.ProviderType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Stands in for Google's token refresher in {@link CredentialsProfile} tests only (an alternative enabled by
 * that profile): counts its calls, records the refresh tokens it was given, answers as scripted — new
 * tokens by default (1 h, no rotated refresh token) — and can hold each call until a latch opens.
 */
@Alternative
@ApplicationScoped
public class ScriptedTokenRefresher implements TokenRefresher {

    private final AtomicInteger calls = new AtomicInteger();
    private final List<String> refreshTokens = new ArrayList<>();
    private final List<Map<String, String>> configs = new ArrayList<>();
    private volatile Function<String, RefreshedTokens> answer;
    private volatile CountDownLatch hold;

    public ScriptedTokenRefresher() {
        reset();
    }

    public void reset() {
        calls.set(0);
        synchronized (this) {
            refreshTokens.clear();
            configs.clear();
        }
        answer = refreshToken -> newTokens(null);
        hold = null;
    }

    /** Fresh tokens valid for an hour; {@code rotated} as the new refresh token, or none. */
    public static RefreshedTokens newTokens(String rotated) {
        return new RefreshedTokens("at-refreshed-" + UUID.randomUUID(), rotated, Instant.now().plus(Duration.ofHours(1)));
    }

    public void answer(Function<String, RefreshedTokens> answer) {
        this.answer = answer;
    }

    /** Each call waits (at most 10 s) until {@code latch} opens. */
    public void holdUntil(CountDownLatch latch) {
        this.hold = latch;
    }

    public int calls() {
        return calls.get();
    }

    public synchronized List<String> refreshTokens() {
        return List.copyOf(refreshTokens);
    }

    public synchronized List<Map<String, String>> configs() {
        return List.copyOf(configs);
    }

    @Override
    public String issuer() {
        return ProviderType.GOOGLE_ADS.wireName();
    }

    @Override
    public RefreshedTokens refresh(String refreshToken, Map<String, String> config) {
        calls.incrementAndGet();
        synchronized (this) {
            refreshTokens.add(refreshToken);
            configs.add(config);
        }
        CountDownLatch latch = hold;
        if (latch != null) {
            try {
                if (!latch.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never let the refresh go on");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return answer.apply(refreshToken);
    }
}
