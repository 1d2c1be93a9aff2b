package com.leadsync.delivery;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.io.ModalCloseable;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one HTTP client for user-supplied endpoints (webhook subscribers, custom HTTP CRMs). It connects only to
 * an address {@link UrlPolicy} checked for this send ({@link PinnedUrl}), never resolving the name itself, so
 * DNS cannot rebind the name to a private address between check and connect; TLS (SNI, certificate) still
 * uses the host name. Redirects are never followed: a 3xx is a failure (Standard Webhooks) and following one
 * could lead past {@link UrlPolicy}. HTTP/1.1 only. The timeout bounds the whole exchange, body included, and
 * only the first {@link #MAX_BODY_BYTES} of a response are kept, so a slow or endless answer cannot pin a
 * worker or its memory. The JDK HttpClient cannot do the pinning: it has no DNS hook, and connecting it to
 * an IP literal breaks SNI and certificate checks.
 */
@ApplicationScoped
public class OutboundHttp implements AutoCloseable {

    /** A subscriber that gives no answer in this time is retried (contract §3). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Enough for any error message worth logging; the rest is dropped. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private static final ContentType JSON = ContentType.create("application/json");

    /**
     * Every connection goes to an address given with the request, so the client has nothing to resolve;
     * should a path ever ask it to (a proxy, a redirect), it gets no answer rather than an unchecked one.
     */
    private static final DnsResolver NO_LOOKUPS = new DnsResolver() {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            throw new UnknownHostException(host + ": OutboundHttp connects only to addresses UrlPolicy checked");
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            throw new UnknownHostException(host + ": OutboundHttp connects only to addresses UrlPolicy checked");
        }
    };

    /** What the receiver answered: header names case-insensitive (first value kept), body capped. */
    public record Response(int statusCode, Map<String, String> headers, String body) {

        public String header(String name) {
            return headers.get(name);
        }
    }

    private final CloseableHttpClient client;
    private final ScheduledThreadPoolExecutor deadlines;
    private final Duration defaultTimeout;

    /**
     * @param defaultTimeout used by {@link #postJson(PinnedUrl, String, Map)}; tests pass something short.
     *        A constructor parameter rather than a no-arg constructor on purpose: ArC's client proxy runs the
     *        no-arg constructor, which must not build a second client.
     */
    @Inject
    public OutboundHttp(@ConfigProperty(name = "leadsync.delivery.timeout", defaultValue = "PT15S") Duration defaultTimeout) {
        this(defaultTimeout, SSLContexts.createDefault());
    }

    /** @param tls trusted certificates; tests pass one that trusts their own server. */
    OutboundHttp(Duration defaultTimeout, SSLContext tls) {
        this.defaultTimeout = defaultTimeout;
        Duration connect = CONNECT_TIMEOUT.compareTo(defaultTimeout) < 0 ? CONNECT_TIMEOUT : defaultTimeout;
        // Pooled connections are keyed by route, and the route's target carries the pinned address
        // (HttpHost.equals compares it): a connection is reused only for a send whose own check just
        // allowed that same address, so keeping connections open lets no unchecked address in.
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(NO_LOOKUPS)
                // JSSE checks the certificate against the host name (not the pinned address) and sends it as SNI.
                .setTlsSocketStrategy(new DefaultClientTlsStrategy(tls, HostnameVerificationPolicy.BUILTIN, null))
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(connect))
                        .setSocketTimeout(Timeout.of(defaultTimeout))
                        // A receiver may close an idle keep-alive connection; check before reusing it.
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .setTimeToLive(TimeValue.ofMinutes(1))
                        .build())
                .setMaxConnPerRoute(10)
                .setMaxConnTotal(50)
                .build();
        // The classic client starts no threads of its own (no idle evictor configured); system properties
        // are not used, so no proxy from the environment could resolve names behind UrlPolicy's back.
        this.client = HttpClients.custom()
                .setConnectionManager(connections)
                .disableRedirectHandling()
                .disableAutomaticRetries() // the delivery engine retries, with backoff and a record of attempts
                .disableContentCompression()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent("LeadSync")
                .build();
        // Enforces the whole-exchange deadline (the client's timeouts are per connect and per read). Its one
        // thread is a daemon and ends when idle, so instances that are never closed leak nothing.
        this.deadlines = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "leadsync-outbound-deadline");
            thread.setDaemon(true);
            return thread;
        });
        deadlines.setRemoveOnCancelPolicy(true);
        deadlines.setKeepAliveTime(30, TimeUnit.SECONDS);
        deadlines.allowCoreThreadTimeOut(true);
    }

    public Duration defaultTimeout() {
        return defaultTimeout;
    }

    public Response postJson(PinnedUrl url, String body, Map<String, String> headers) throws IOException {
        return postJson(url, body, headers, defaultTimeout);
    }

    /**
     * POSTs {@code body} as UTF-8 JSON to the first of the checked addresses. Throws
     * {@link SocketTimeoutException} when there is no complete answer within {@code timeout}, other
     * {@link IOException}s for network failures, {@link IllegalArgumentException} for a header value that
     * would split the request.
     */
    public Response postJson(PinnedUrl url, String body, Map<String, String> headers, Duration timeout)
            throws IOException {
        return send(new Call("POST", url, JSON, body, headers, timeout, MAX_BODY_BYTES));
    }

    /**
     * One HTTP exchange of any method, for CRM APIs that PATCH, GET and POST forms. {@code body} null sends none;
     * {@code maxBodyBytes} bounds what is kept of the answer (a CRM's field metadata can be far above 64 KB).
     */
    public record Call(String method, PinnedUrl url, ContentType contentType, String body,
            Map<String, String> headers, Duration timeout, int maxBodyBytes) {

        public static Call json(String method, PinnedUrl url, String body, Map<String, String> headers) {
            return new Call(method, url, JSON, body, headers, null, MAX_BODY_BYTES);
        }

        public static Call form(PinnedUrl url, String formBody, Map<String, String> headers) {
            return new Call("POST", url, ContentType.APPLICATION_FORM_URLENCODED, formBody, headers, null,
                    MAX_BODY_BYTES);
        }

        public Call keeping(int bytes) {
            return new Call(method, url, contentType, body, headers, timeout, bytes);
        }
    }

    /** Sends {@code call} to the first of its checked addresses; failures as for {@link #postJson}. */
    public Response send(Call call) throws IOException {
        Duration limit = call.timeout() == null ? defaultTimeout : call.timeout();
        PinnedUrl url = call.url();
        HttpUriRequestBase request = new HttpUriRequestBase(call.method().toUpperCase(Locale.ROOT),
                withoutUserInfo(url.uri()));
        request.setConfig(RequestConfig.custom()
                .setConnectionRequestTimeout(Timeout.of(limit))
                .setResponseTimeout(Timeout.of(limit))
                .build());
        request.setHeader("Accept", "application/json, */*;q=0.5");
        if (call.headers() != null) {
            call.headers().forEach((name, value) -> {
                if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                    throw new IllegalArgumentException("header " + name + " must be a single line");
                }
                request.setHeader(name, value);
            });
        }
        if (call.body() != null) {
            request.setEntity(new ByteArrayEntity(call.body().getBytes(StandardCharsets.UTF_8),
                    call.contentType() == null ? JSON : call.contentType()));
        }
        // One address, as the JDK client used: the pinned set is what resolution returned, first one first.
        HttpHost target = new HttpHost(url.uri().getScheme().toLowerCase(Locale.ROOT), url.addresses().get(0), url.host(),
                url.port());

        ScheduledFuture<?> deadline = deadlines.schedule(request::cancel, limit.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return exchange(target, request, Math.max(1, call.maxBodyBytes()));
        } catch (IOException e) {
            if (request.isCancelled()) {
                SocketTimeoutException timedOut =
                        new SocketTimeoutException("no complete response within " + limit.toMillis() + " ms");
                timedOut.initCause(e);
                throw timedOut;
            }
            throw e;
        } finally {
            deadline.cancel(false);
        }
    }

    /**
     * The JDK client never sent a URL's user info, and HttpClient 5 refuses a request that has one; keep
     * sending such URLs as before, without it (credentials belong in a header such as config.authorization).
     */
    private static URI withoutUserInfo(URI uri) {
        String userInfo = uri.getRawUserInfo();
        return userInfo == null ? uri : URI.create(uri.toString().replaceFirst(Pattern.quote(userInfo + "@"), ""));
    }

    private Response exchange(HttpHost target, HttpUriRequestBase request, int maxBodyBytes) throws IOException {
        ClassicHttpResponse response = client.executeOpen(target, request, null);
        boolean readToTheEnd = false;
        try {
            byte[] kept = new byte[0];
            HttpEntity entity = response.getEntity();
            if (entity == null) {
                readToTheEnd = true;
            } else {
                // Not closed on its own: closing the stream would drain the rest of the body.
                InputStream content = entity.getContent();
                kept = content.readNBytes(maxBodyBytes);
                readToTheEnd = content.read() == -1;
            }
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (Header header : response.getHeaders()) {
                headers.putIfAbsent(header.getName(), header.getValue());
            }
            // Subscribers and CRMs answer in UTF-8 in practice; a cut multi-byte char just becomes U+FFFD.
            return new Response(response.getCode(), Collections.unmodifiableMap(headers),
                    new String(kept, StandardCharsets.UTF_8));
        } finally {
            if (!readToTheEnd && response instanceof ModalCloseable closeable) {
                closeable.close(CloseMode.IMMEDIATE); // drop the connection instead of draining the rest
            } else {
                response.close(); // at the end of the body the connection has gone back to the pool
            }
        }
    }

    @PreDestroy
    @Override
    public void close() {
        deadlines.shutdownNow();
        client.close(CloseMode.GRACEFUL);
    }
}
