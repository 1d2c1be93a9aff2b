package com.leadsync.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one HTTP client for user-supplied endpoints (webhook subscribers, custom HTTP CRMs). Redirects are
 * never followed: a 3xx is a failure (Standard Webhooks) and following one could lead past {@link UrlPolicy}.
 * The timeout bounds the whole exchange, body included, and only the first {@link #MAX_BODY_BYTES} of a
 * response are kept, so a slow or endless answer cannot pin a worker or its memory.
 */
@ApplicationScoped
public class OutboundHttp {

    /** A subscriber that gives no answer in this time is retried (contract §3). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Enough for any error message worth logging; the rest is dropped. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private final HttpClient client;
    private final Duration defaultTimeout;

    /**
     * @param defaultTimeout used by {@link #postJson(String, String, Map)}; tests pass something short.
     *        A constructor parameter rather than a no-arg constructor on purpose: ArC's client proxy runs the
     *        no-arg constructor, which must not build a second HttpClient with its own selector thread.
     */
    @Inject
    public OutboundHttp(@ConfigProperty(name = "leadsync.delivery.timeout", defaultValue = "PT15S") Duration defaultTimeout) {
        this.defaultTimeout = defaultTimeout;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT.compareTo(defaultTimeout) < 0 ? CONNECT_TIMEOUT : defaultTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public Duration defaultTimeout() {
        return defaultTimeout;
    }

    public HttpResponse<String> postJson(String url, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        return postJson(url, body, headers, defaultTimeout);
    }

    /**
     * POSTs {@code body} as UTF-8 JSON. Throws {@link HttpTimeoutException} when there is no complete answer
     * within {@code timeout}, other {@link IOException}s for network failures.
     */
    public HttpResponse<String> postJson(String url, String body, Map<String, String> headers, Duration timeout)
            throws IOException, InterruptedException {
        Duration limit = timeout == null ? defaultTimeout : timeout;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(limit)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, */*;q=0.5")
                .header("User-Agent", "LeadSync")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (headers != null) {
            headers.forEach(request::setHeader);
        }
        CompletableFuture<HttpResponse<String>> exchange =
                client.sendAsync(request.build(), info -> new CappedBody(MAX_BODY_BYTES));
        try {
            // The request timeout above covers only the wait for headers; this also bounds the body.
            return exchange.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new HttpTimeoutException("no complete response within " + limit.toMillis() + " ms");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(cause);
        }
    }

    /** Keeps the first {@code limit} bytes, then cancels so the connection is dropped instead of drained. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<String> {
        private final int limit;
        private final List<ByteBuffer> parts = new ArrayList<>();
        private final CompletableFuture<String> result = new CompletableFuture<>();
        private int size;
        private Flow.Subscription subscription;

        CappedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<String> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                int take = Math.min(item.remaining(), limit - size);
                ByteBuffer copy = ByteBuffer.allocate(take);
                item.limit(item.position() + take);
                copy.put(item).flip();
                parts.add(copy);
                size += take;
            }
            if (size >= limit) {
                subscription.cancel();
                result.complete(decode());
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(decode());
        }

        private String decode() {
            ByteBuffer all = ByteBuffer.allocate(size);
            parts.forEach(all::put);
            // Subscribers and CRMs answer in UTF-8 in practice; a cut multi-byte char just becomes U+FFFD.
            return new String(all.array(), 0, size, StandardCharsets.UTF_8);
        }
    }
}
