package com.leadsync.api;

import com.leadsync.ingest.WebhookIntake;
import com.leadsync.model.ProviderType;
import com.leadsync.source.LeadSources;
import com.leadsync.source.WebhookReceiver;
import com.leadsync.source.WebhookRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Provider-facing {@code /webhook/{providerType}}: GET answers the subscription handshake, POST takes
 * events. A 200 to a POST means every lead in it is on the ingest queue (or, for a page not connected yet,
 * kept in the Unrouted table until it is).
 */
@ApplicationScoped
public class WebhookHandler {

    private static final Logger LOG = Logger.getLogger(WebhookHandler.class);
    /** Meta batches up to 1000 changes (~250 KB); anything over 1 MB is not a provider webhook. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    /** The routes this handler answers, as {@link Router#routes()} names them. */
    public static final List<String> ROUTES = List.of("GET /webhook/{providerType}", "POST /webhook/{providerType}");

    private final LeadSources sources;
    private final WebhookIntake intake;
    private final Json json;

    WebhookHandler(LeadSources sources, WebhookIntake intake, Json json) {
        this.sources = sources;
        this.intake = intake;
        this.json = json;
    }

    public HttpApiResponse handle(HttpApiEvent event) {
        try {
            String[] parts = event.path().split("/");
            if (parts.length != 3 || !"webhook".equals(parts[1])) {
                throw ApiError.notFound("no route " + event.path());
            }
            WebhookReceiver source = ProviderType.fromWire(parts[2]).flatMap(sources::receiver)
                    .orElseThrow(() -> ApiError.notFound("no webhook for provider '" + parts[2] + "'"));
            return switch (event.method()) {
                case "GET" -> handshake(source, event);
                case "POST" -> receive(source, event);
                default -> throw ApiError.methodNotAllowed(event.method() + " is not allowed on " + event.path());
            };
        } catch (ApiError e) {
            return json.error(e);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (RuntimeException | Error e) {
            // Not acknowledged: the provider retries, so nothing is lost.
            LOG.errorf(e, "webhook %s failed", event.path());
            return json.error(new ApiError(500, "internal", "the event could not be queued; retry later"));
        }
    }

    private HttpApiResponse handshake(WebhookReceiver source, HttpApiEvent event) {
        return source.handshake(new WebhookRequest(null, event.lowerHeaders(), event.query()))
                .map(reply -> HttpApiResponse.body(200, reply.contentType(), reply.body()))
                .orElseThrow(() -> ApiError.forbidden("subscription verification failed"));
    }

    private HttpApiResponse receive(WebhookReceiver source, HttpApiEvent event) {
        byte[] body;
        try {
            body = event.rawBody();
        } catch (IllegalArgumentException notBase64) {
            throw ApiError.badRequest("request body is marked base64 but is not");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw ApiError.tooLarge("webhook bodies are limited to " + MAX_BODY_BYTES + " bytes");
        }
        WebhookIntake.Result result = intake.receive(source, new WebhookRequest(body, event.lowerHeaders(),
                event.query()));
        if (result instanceof WebhookIntake.Unauthenticated u) {
            throw ApiError.unauthenticated(u.reason());
        }
        if (result instanceof WebhookIntake.Malformed m) {
            throw ApiError.badRequest(m.reason());
        }
        WebhookIntake.Accepted a = (WebhookIntake.Accepted) result;
        return json.ok(200, Map.of("queued", a.queued(), "unrouted", a.unrouted()));
    }
}
