package com.leadsync.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.jboss.logging.Logger;

/** An offline fake's answer: status, content type, extra headers and the body bytes exactly as sent. */
record FakeReply(int status, String contentType, Map<String, String> headers, byte[] body) {

    private static final Logger LOG = Logger.getLogger(FakeReply.class);

    FakeReply {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    static FakeReply json(int status, JsonNode body) {
        return new FakeReply(status, "application/json; charset=UTF-8", Map.of(),
                body.toString().getBytes(StandardCharsets.UTF_8));
    }

    String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    void send(RoutingContext ctx) {
        var response = ctx.response().setStatusCode(status).putHeader("content-type", contentType);
        headers.forEach(response::putHeader);
        response.end(Buffer.buffer(body));
    }

    /**
     * A blocking route handler (the fakes read sample files) answering with {@code answer}; a sample file that
     * cannot be read or parsed is a 500 whose body says which and why, so a user editing samples sees the mistake.
     */
    static Handler<RoutingContext> handler(Function<RoutingContext, FakeReply> answer) {
        return handler(answer, ctx -> Duration.ZERO);
    }

    /**
     * {@link #handler(Function)}, the answer sent after {@code delay} (a timer, not a blocked thread): a slow
     * platform, so that what local mode does with it can be watched.
     */
    static Handler<RoutingContext> handler(Function<RoutingContext, FakeReply> answer,
            Function<RoutingContext, Duration> delay) {
        return ctx -> {
            FakeReply reply;
            Duration wait = Duration.ZERO;
            try {
                reply = answer.apply(ctx);
                wait = delay.apply(ctx);
            } catch (SampleFiles.BrokenSample e) {
                LOG.warn(e.getMessage(), e);
                reply = new FakeReply(500, "text/plain; charset=UTF-8", Map.of(),
                        ("local fake: " + e.getMessage()).getBytes(StandardCharsets.UTF_8));
            }
            if (wait.toMillis() < 1) {
                reply.send(ctx);
            } else {
                FakeReply delayed = reply;
                ctx.vertx().setTimer(wait.toMillis(), timer -> delayed.send(ctx));
            }
        };
    }
}
