package com.leadsync.source.linkedin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.connect.Credentials;
import com.leadsync.model.Connection;
import com.leadsync.model.ProviderCallException.Kind;
import com.leadsync.model.ProviderCallException;
import com.leadsync.model.ProviderType;
import com.leadsync.source.LeadLister;
import com.leadsync.source.LeadNotice;
import com.leadsync.source.LeadPage;
import com.leadsync.source.ListRequest;
import com.leadsync.model.ProviderCallException.Kind;
import com.leadsync.model.ProviderCallException;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * A sponsored account's leads submitted in [since, until): {@code GET /rest/leadFormResponses?q=owner}
 * with {@code submittedAtTimeRange} (providers.md §3.3), paged by {@code start}/{@code count}.
 *
 * <p>The position is {@code {"start": N}}. A short page is not the end (§3.7: LinkedIn returns fewer than
 * {@code count} elements while more exist), so the walk ends only at an empty page, and the next start
 * advances by the elements received, never by {@code count}: if some indexes of a page were withheld,
 * reading a few again costs a duplicate (dropped by dedup), skipping them would cost a lead.
 *
 * <p>Each lead goes out with its form version (the projection, else {@link LinkedInForms}) and is filtered
 * again here on {@code submittedAt} (§3.7: Airbyte does the same) and, when the request names one, on the
 * form. {@code formId} is a form id (every version of it, filtered here) or a versioned form URN (filtered
 * by LinkedIn).
 */
@ApplicationScoped
public class LinkedInLeadLister implements LeadLister {

    private static final Logger LOG = Logger.getLogger(LinkedInLeadLister.class);

    /** LinkedIn keeps leads for 365 days (providers.md §3.3): the furthest back a walk without a start can see. */
    private static final Duration RETENTION = Duration.ofDays(365);

    private final LinkedInApi api;
    private final LinkedInForms forms;
    private final Credentials credentials;
    private final ObjectMapper json;
    private final Clock clock;
    private final String version;
    private final int pageSize;
    private final long maxAnswer;

    LinkedInLeadLister(@RestClient LinkedInApi api, LinkedInForms forms, Credentials credentials, ObjectMapper json,
            Clock clock, @ConfigProperty(name = "leadsync.linkedin.version") String version,
            @ConfigProperty(name = "leadsync.linkedin.page-size") int pageSize,
            @ConfigProperty(name = "leadsync.providers.max-answer-size") MemorySize maxAnswer) {
        this.api = api;
        this.forms = forms;
        this.credentials = credentials;
        this.json = json;
        this.clock = clock;
        this.version = version;
        this.pageSize = pageSize;
        this.maxAnswer = maxAnswer.asLongValue();
    }

    @Override
    public ProviderType type() {
        return ProviderType.LINKEDIN_ADS;
    }

    @Override
    public Optional<String> formIdProblem(String formId) {
        if (formId == null || formId.isBlank()) {
            return Optional.of("a LinkedIn lead form id (digits) or versioned form URN is required");
        }
        try {
            FormFilter.of(formId);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public LeadPage page(Connection connection, ListRequest request) {
        Instant until = request.until() != null ? request.until() : clock.instant();
        Instant since = request.since() != null ? request.since() : until.minus(RETENTION);
        int start = start(request.position());
        FormFilter filter = FormFilter.of(request.formId());
        String range = "(start:" + since.toEpochMilli() + ",end:" + until.toEpochMilli() + ")";

        JsonNode answer = credentials.call(connection, token -> LinkedInCalls.call(json, maxAnswer,
                "list leads of sponsored account " + connection.externalId() + " from " + start,
                () -> api.leadFormResponses("owner", LinkedInUrns.ownerParam(connection.externalId()),
                        "(leadType:SPONSORED)", "false", range, filter.serverSide(), LinkedInForms.LEAD_FIELDS, start,
                        pageSize, "Bearer " + token, version)));
        JsonNode elements = answer.get("elements");
        if (elements == null || !elements.isArray()) {
            throw new ProviderCallException("LinkedIn lead list without an \"elements\" array", Kind.TRANSIENT, null);
        }
        if (elements.isEmpty()) {
            return new LeadPage(List.of(), null);
        }
        Map<String, JsonNode> formsOfPage = new HashMap<>();
        List<LeadNotice> notices = new ArrayList<>();
        int unreadable = 0;
        for (JsonNode element : elements) {
            String id = element.path("id").isTextual() ? element.get("id").textValue() : null;
            if (!LinkedInUrns.isLeadId(id)) {
                LOG.warnf("LinkedIn lead list of %s: an element without a plausible id skipped (%s)",
                        connection.externalId(),
                        id == null ? element.path("id").getNodeType() : id.length() + " chars");
                unreadable++;
                continue;
            }
            notice(connection, element, id, since, until, filter, formsOfPage).ifPresent(notices::add);
        }
        return new LeadPage(notices, position(start + elements.size())).withSkipped(unreadable);
    }

    private Optional<LeadNotice> notice(Connection connection, JsonNode element, String id, Instant since,
            Instant until, FormFilter filter, Map<String, JsonNode> formsOfPage) {
        JsonNode submitted = element.get("submittedAt");
        Instant submittedAt = submitted != null && submitted.canConvertToExactIntegral() && submitted.canConvertToLong()
                ? Instant.ofEpochMilli(submitted.longValue()) : null;
        if (submittedAt != null && (submittedAt.isBefore(since) || !submittedAt.isBefore(until))) {
            return Optional.empty();
        }
        Optional<LinkedInUrns.FormVersion> form = LinkedInUrns.formVersion(element.get("versionedLeadGenFormUrn"));
        if (!filter.admits(form)) {
            return Optional.empty();
        }
        JsonNode payload = forms.complete(connection, element, formsOfPage);
        return Optional.of(new LeadNotice(ProviderType.LINKEDIN_ADS, connection.externalId(), id,
                form.map(LinkedInUrns.FormVersion::formId).orElse(null),
                LinkedInUrns.numericId(element.path("associatedEntity").get("associatedCreative"),
                        LinkedInUrns.CREATIVE),
                submittedAt, payload));
    }

    /** {@code formId} of a request: a versioned form URN goes to LinkedIn, a form id is matched here. */
    private record FormFilter(String formId, LinkedInUrns.FormVersion version) {
        static FormFilter of(String formId) {
            if (formId == null || formId.isBlank()) {
                return new FormFilter(null, null);
            }
            Optional<LinkedInUrns.FormVersion> version = LinkedInUrns.formVersion(formId);
            if (version.isPresent()) {
                return new FormFilter(null, version.get());
            }
            if (!LinkedInUrns.isNumericId(formId.trim())) {
                throw new IllegalArgumentException("a LinkedIn formId is a lead form id (digits) or a versioned form"
                        + " URN, got \"" + formId + "\"");
            }
            return new FormFilter(formId.trim(), null);
        }

        String serverSide() {
            return version == null ? null : LinkedInUrns.formFilterParam(version);
        }

        boolean admits(Optional<LinkedInUrns.FormVersion> form) {
            if (version != null) {
                return form.map(version::equals).orElse(true); // LinkedIn filtered already
            }
            return formId == null || form.map(f -> f.formId().equals(formId)).orElse(false);
        }
    }

    private int start(String position) {
        if (position == null) {
            return 0;
        }
        try {
            JsonNode start = json.readTree(position).get("start");
            if (start != null && start.canConvertToInt() && start.isIntegralNumber() && start.intValue() >= 0) {
                return start.intValue();
            }
        } catch (JsonProcessingException e) {
            // reported below
        }
        throw new IllegalArgumentException("not a LinkedIn list position: " + position);
    }

    private String position(int nextStart) {
        return json.createObjectNode().put("start", nextStart).toString();
    }
}
