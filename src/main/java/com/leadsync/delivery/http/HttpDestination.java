package com.leadsync.delivery.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.delivery.CheckReport;
import com.leadsync.delivery.DeliveryContext;
import com.leadsync.delivery.DeliveryException;
import com.leadsync.delivery.DeliveryReceipt;
import com.leadsync.delivery.DeliveryTarget;
import com.leadsync.delivery.Destination;
import com.leadsync.delivery.FieldMapper;
import com.leadsync.delivery.HttpOutcomes;
import com.leadsync.delivery.InvalidUrlException;
import com.leadsync.delivery.OutboundHttp;
import com.leadsync.delivery.PinnedUrl;
import com.leadsync.delivery.UrlPolicy;
import com.leadsync.model.StoredLead;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A custom CRM or automation endpoint that takes one flat JSON object per lead. Config: {@code url}, and an
 * optional secret {@code authorization} sent verbatim as the Authorization header (so "Bearer …", "Basic …"
 * or a bare API key all work). {@code Idempotency-Key} lets the receiver drop our retries of the same lead;
 * a manual push sends a new one (see {@link DeliveryContext}).
 */
@ApplicationScoped
public class HttpDestination implements Destination {

    public static final String TYPE = "http";
    public static final String URL = "url";
    public static final String AUTHORIZATION = "authorization";

    static final FieldMapper FIELDS = new FieldMapper(defaultMapping());

    private final OutboundHttp http;
    private final UrlPolicy urlPolicy;
    private final ObjectMapper json;

    @Inject
    public HttpDestination(OutboundHttp http, UrlPolicy urlPolicy, ObjectMapper json) {
        this.http = http;
        this.urlPolicy = urlPolicy;
        this.json = json;
    }

    private static Map<String, String> defaultMapping() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("email", "email");
        m.put("firstName", "first_name");
        m.put("lastName", "last_name");
        m.put("fullName", "full_name");
        m.put("phoneNumber", "phone");
        m.put("company", "company");
        return m;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of(AUTHORIZATION);
    }

    @Override
    public Set<String> endpointKeys() {
        return Set.of(URL);
    }

    @Override
    public List<String> validate(DeliveryTarget target) {
        List<String> problems = new ArrayList<>();
        String url = target.config(URL);
        if (url == null || url.isBlank()) {
            problems.add("config.url is required");
        } else {
            try {
                urlPolicy.check(url);
            } catch (InvalidUrlException e) {
                // The engine re-validates before every send and fails permanently on a problem; a name that
                // does not resolve right now may be a DNS hiccup, so send() turns that into a retry instead.
                if (!e.unresolved()) {
                    problems.add("config.url: " + e.getMessage());
                }
            }
        }
        String authorization = target.config(AUTHORIZATION);
        if (authorization != null && (authorization.indexOf('\r') >= 0 || authorization.indexOf('\n') >= 0)) {
            problems.add("config.authorization must be a single line");
        }
        return problems;
    }

    /** A custom endpoint has no call that reads without writing: the test route says so instead of posting. */
    @Override
    public CheckReport check(DeliveryTarget target) {
        return CheckReport.notCheckable("not checked: an http endpoint has no call that checks it without sending a "
                + "lead, so nothing was sent; each delivery's status shows whether the endpoint accepts leads");
    }

    @Override
    public DeliveryReceipt send(DeliveryTarget target, StoredLead lead, DeliveryContext context)
            throws DeliveryException {
        String url = target.config(URL);
        if (url == null || url.isBlank()) {
            throw DeliveryException.permanent("config.url is missing", null);
        }
        PinnedUrl pinned = urlPolicy.checkBeforeSend(url);

        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Idempotency-Key", context.idempotencyKey());
        String authorization = target.config(AUTHORIZATION);
        if (authorization != null && !authorization.isBlank()) {
            headers.put("Authorization", authorization.trim());
        }

        OutboundHttp.Response response;
        try {
            response = http.postJson(pinned, body(lead, target), headers);
        } catch (IOException e) {
            throw HttpOutcomes.transportFailure(e, http.defaultTimeout());
        } catch (IllegalArgumentException e) {
            // A header value that would split the request; retrying cannot help.
            throw DeliveryException.permanent("cannot build the request: " + e.getMessage(), null);
        }
        return HttpOutcomes.receiptOrThrow(response);
    }

    private String body(StoredLead lead, DeliveryTarget target) throws DeliveryException {
        try {
            return json.writeValueAsString(FIELDS.map(lead, target.fieldMapping()));
        } catch (JsonProcessingException e) {
            throw DeliveryException.permanent("cannot serialize the lead: " + e.getOriginalMessage(), null);
        }
    }
}
