package com.leadsync.source.meta;

import java.util.Optional;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.leadsync.connect.Credentials;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderCallException.Kind;
import com.leadsync.model.ProviderCallException;
import com.leadsync.model.ProviderType;
import com.leadsync.source.LeadLister;
import com.leadsync.source.LeadNotice;
import com.leadsync.source.LeadPage;
import com.leadsync.source.ListRequest;
import com.leadsync.source.MalformedPayloadException;
import com.leadsync.model.ProviderCallException.Kind;
import com.leadsync.model.ProviderCallException;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Lists a page's leads (providers.md §1.2): its forms ({@code /{page-id}/leadgen_forms}), then each form's leads
 * ({@code /{form-id}/leads} filtered on {@code time_created}), following {@code paging.next} at both levels. Every
 * step is exactly one Graph call, so a step's time is bounded; the position ({@link MetaListPosition}) holds the
 * current form, its leads cursor, the rest of the current forms page and the cursor of the next one.
 */
@ApplicationScoped
public class MetaLeadLister implements LeadLister {

    private static final Logger LOG = Logger.getLogger(MetaLeadLister.class);

    /** Forms per forms page: the rest of a page waits in the position, so this bounds its size. */
    static final int FORMS_PAGE_SIZE = 25;
    static final String FORM_FIELDS = "id,name,status";

    private final MetaGraphApi graph;
    private final Credentials credentials;
    private final ObjectMapper json;
    private final String version;
    private final int leadsPageSize;
    private final long maxAnswer;

    MetaLeadLister(@RestClient MetaGraphApi graph, Credentials credentials, ObjectMapper json,
            @ConfigProperty(name = "leadsync.meta.graph-version") String version,
            @ConfigProperty(name = "leadsync.meta.list-page-size", defaultValue = "100") int leadsPageSize,
            @ConfigProperty(name = "leadsync.providers.max-answer-size") MemorySize maxAnswer) {
        this.graph = graph;
        this.credentials = credentials;
        this.json = json;
        this.version = version;
        this.leadsPageSize = leadsPageSize;
        this.maxAnswer = maxAnswer.asLongValue();
    }

    @Override
    public ProviderType type() {
        return ProviderType.META_LEAD_ADS;
    }

    @Override
    public Optional<String> formIdProblem(String formId) {
        return formId != null && MetaWebhookParser.isMetaId(formId.trim()) ? Optional.empty()
                : Optional.of("a Meta lead form is named by its id (digits), got '" + formId + "'");
    }

    @Override
    public LeadPage page(Connection connection, ListRequest request) {
        MetaListPosition at = request.position() == null ? MetaListPosition.start(request.formId())
                : MetaListPosition.read(json, request.position());
        return at.form() == null ? formsPage(connection, at) : leadsPage(connection, request, at);
    }

    /** One page of forms: the walk goes on with its first form (a page without forms, with the next page). */
    private LeadPage formsPage(Connection connection, MetaListPosition at) {
        String pageId = connection.externalId();
        JsonNode body = credentials.call(connection, token -> MetaGraphCalls.call(json, maxAnswer, "list forms of page " + pageId,
                () -> graph.leadgenForms(version, pageId, FORM_FIELDS, FORMS_PAGE_SIZE, at.formsAfter(),
                        "Bearer " + token)));
        List<String> forms = new ArrayList<>();
        for (JsonNode form : data(body, "forms of page " + pageId)) {
            String id = metaId(form.get("id"));
            if (id == null) {
                LOG.warnf("page %s: a lead form without a plausible id was skipped: %s", pageId, form.path("id"));
            } else {
                forms.add(id);
            }
        }
        String nextForms = nextCursor(body);
        if (forms.isEmpty()) {
            return new LeadPage(List.of(), nextForms == null ? null : MetaListPosition.forms(nextForms).write(json));
        }
        return new LeadPage(List.of(), new MetaListPosition(forms.get(0), null, forms.subList(1, forms.size()),
                nextForms).write(json));
    }

    /** One page of the current form's leads in the window; after its last page the walk moves to the next form. */
    private LeadPage leadsPage(Connection connection, ListRequest request, MetaListPosition at) {
        String form = at.form();
        JsonNode body;
        try {
            body = credentials.call(connection, token -> MetaGraphCalls.call(json, maxAnswer, "list leads of form " + form,
                    () -> graph.formLeads(version, form, MetaLeadSource.LEAD_FIELDS, leadsPageSize,
                            filtering(request.since(), request.until()), at.leadsAfter(), "Bearer " + token)));
        } catch (ProviderCallException e) {
            if (e.kind() != Kind.NOT_FOUND || request.formId() != null) {
                throw e;
            }
            // One form the token cannot read (deleted since it was listed, or closed by Leads Access Manager)
            // must not keep the page's other forms from being polled.
            LOG.warnf("page %s: form %s skipped: %s", connection.externalId(), form, e.getMessage());
            return new LeadPage(List.of(), next(at));
        }
        List<LeadNotice> leads = new ArrayList<>();
        int skipped = 0;
        for (JsonNode lead : data(body, "leads of form " + form)) {
            LeadNotice notice = notice(connection, form, lead);
            if (notice != null) {
                leads.add(notice);
            } else {
                skipped++;
            }
        }
        String nextLeads = nextCursor(body);
        return new LeadPage(leads, nextLeads != null ? at.withLeadsAfter(nextLeads).write(json) : next(at))
                .withSkipped(skipped);
    }

    /** The position after the current form's last page: the next form, the next forms page, or the end. */
    private String next(MetaListPosition at) {
        if (!at.nextForms().isEmpty()) {
            return new MetaListPosition(at.nextForms().get(0), null, at.nextForms().subList(1, at.nextForms().size()),
                    at.formsAfter()).write(json);
        }
        return at.formsAfter() == null ? null : MetaListPosition.forms(at.formsAfter()).write(json);
    }

    /**
     * {@code [{"field":"time_created","operator":"GREATER_THAN","value":<since>}, …LESS_THAN <until>]} in unix
     * seconds (providers.md §1.2); the REST client URL-encodes it.
     */
    String filtering(Instant since, Instant until) {
        ArrayNode filters = json.createArrayNode();
        if (since != null) {
            filters.addObject().put("field", "time_created").put("operator", "GREATER_THAN")
                    .put("value", since.getEpochSecond());
        }
        if (until != null) {
            filters.addObject().put("field", "time_created").put("operator", "LESS_THAN")
                    .put("value", until.getEpochSecond());
        }
        return filters.isEmpty() ? null : filters.toString();
    }

    /** A lead of the page with its whole Graph object as payload (what {@link MetaLeadMapper} maps). */
    private static LeadNotice notice(Connection connection, String form, JsonNode lead) {
        String id = lead.isObject() ? metaId(lead.get("id")) : null;
        if (id == null) {
            LOG.warnf("page %s, form %s: a lead without a plausible id was skipped", connection.externalId(), form);
            return null;
        }
        String formId = metaId(lead.get("form_id"));
        Instant created;
        try {
            created = MetaLeadMapper.createdTime(lead.get("created_time"), id);
        } catch (MalformedPayloadException e) {
            created = null; // a hint only: normalize reads the lead's own time and refuses it there if it must
        }
        return new LeadNotice(ProviderType.META_LEAD_ADS, connection.externalId(), id,
                formId == null ? form : formId, metaId(lead.get("ad_id")), created, lead);
    }

    private static String metaId(JsonNode node) {
        try {
            String id = MetaWebhookParser.idText(node, "id");
            return id != null && MetaWebhookParser.isMetaId(id) ? id : null;
        } catch (MalformedPayloadException e) {
            return null;
        }
    }

    private static JsonNode data(JsonNode body, String what) {
        JsonNode data = body.get("data");
        if (data == null || !data.isArray()) {
            throw new ProviderCallException("Meta Graph API answered " + what + " without a \"data\" array",
                    Kind.TRANSIENT, null);
        }
        return data;
    }

    /**
     * The {@code after} cursor of the next page while {@code paging.next} is present (its absence is the end):
     * {@code paging.cursors.after}, else the {@code after} parameter of the {@code next} URL.
     */
    static String nextCursor(JsonNode body) {
        JsonNode paging = body.path("paging");
        JsonNode next = paging.get("next");
        if (next == null || !next.isTextual() || next.textValue().isBlank()) {
            return null;
        }
        JsonNode after = paging.path("cursors").get("after");
        if (after != null && after.isTextual() && !after.textValue().isBlank()) {
            return after.textValue();
        }
        String fromUrl = queryParam(next.textValue(), "after");
        if (fromUrl == null) {
            // Not quoted: a next link can carry the access token, and this message reaches logs and the API.
            throw new ProviderCallException("Meta Graph API answered a paging.next link without an after cursor",
                    Kind.TRANSIENT, null);
        }
        return fromUrl;
    }

    private static String queryParam(String url, String name) {
        String query;
        try {
            query = URI.create(url).getRawQuery();
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                return value.isBlank() ? null : value;
            }
        }
        return null;
    }

    /** Thrown for a position this lister did not write. */
    static ProviderCallException unreadablePosition(String position, JsonProcessingException e) {
        return new ProviderCallException("unreadable Meta list position (" + position.length() + " characters)",
                Kind.INVALID, e);
    }
}
