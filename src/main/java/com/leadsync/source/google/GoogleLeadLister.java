package com.leadsync.source.google;

import java.util.Optional;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.connect.Credentials;
import com.leadsync.model.Connection;
import com.leadsync.model.NormalizedLead;
import com.leadsync.model.ProviderCallException.Kind;
import com.leadsync.model.ProviderCallException;
import com.leadsync.model.ProviderType;
import com.leadsync.source.LeadLister;
import com.leadsync.source.LeadNotice;
import com.leadsync.source.LeadPage;
import com.leadsync.source.ListRequest;
import com.leadsync.source.MalformedPayloadException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Lists a customer's leads with GAQL over {@code lead_form_submission_data} (providers.md §2.2), oldest
 * first, one API page (up to 10,000 rows, Google's fixed size) per call. The position is
 * {@code {"query","pageToken"}}: Google requires the identical query for every page of a walk, so it travels
 * with the token instead of being rebuilt.
 *
 * <p>Window: the GAQL literal {@code 'YYYY-MM-DD HH:MM:SS'} has no offset, and which zone Google reads it in
 * (the account's, presumably) is not documented (providers.md §2.7, [U]). So the query asks for a window a
 * day wider on both sides than {@code [since, until)} in UTC, which covers every zone (offsets are within
 * ±14 h), and each row's own {@code submissionDateTime} (which has its offset) decides whether it is in.
 */
@ApplicationScoped
public class GoogleLeadLister implements LeadLister {

    private static final Logger LOG = Logger.getLogger(GoogleLeadLister.class);

    /** Only fields of the proto (providers.md §2.2): community snippets invent others, which Google refuses. */
    static final String FIELDS = String.join(", ",
            "lead_form_submission_data.resource_name",
            "lead_form_submission_data.id",
            "lead_form_submission_data.asset",
            "lead_form_submission_data.campaign",
            "lead_form_submission_data.ad_group",
            "lead_form_submission_data.ad_group_ad",
            "lead_form_submission_data.gclid",
            "lead_form_submission_data.submission_date_time",
            "lead_form_submission_data.lead_form_submission_fields",
            "lead_form_submission_data.custom_lead_form_submission_fields");

    private static final DateTimeFormatter GAQL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final Duration ZONE_MARGIN = Duration.ofDays(1);
    /** A form id goes into a GAQL literal: only an asset id (digits) may. */
    private static final Pattern ASSET_ID = Pattern.compile("[0-9]{1,20}");

    private final GoogleAdsSearch ads;
    private final Credentials credentials;
    private final ObjectMapper json;

    GoogleLeadLister(GoogleAdsSearch ads, Credentials credentials, ObjectMapper json) {
        this.ads = ads;
        this.credentials = credentials;
        this.json = json;
    }

    @Override
    public ProviderType type() {
        return ProviderType.GOOGLE_ADS;
    }

    /** Where a walk is: the query of its first page and the token of the next. */
    @RegisterForReflection
    record Position(String query, String pageToken) {
    }

    @Override
    public Optional<String> formIdProblem(String formId) {
        return formId != null && ASSET_ID.matcher(formId.trim()).matches() ? Optional.empty()
                : Optional.of("a Google lead form is named by its lead form asset id (digits), got '" + formId + "'");
    }

    @Override
    public LeadPage page(Connection connection, ListRequest request) {
        Position at = request.position() == null ? new Position(query(connection, request), null) : read(request.position());
        JsonNode answer;
        try {
            answer = search(connection, at);
        } catch (GoogleAdsFailure e) {
            // Page tokens expire (~2 h): start the walk again; what was listed already is deduplicated downstream.
            if (at.pageToken() == null
                    || !(e.has("requestError.EXPIRED_PAGE_TOKEN") || e.has("requestError.INVALID_PAGE_TOKEN"))) {
                throw e;
            }
            LOG.warnf("%s: page token refused (%s), listing again from the first page", connection, e.getMessage());
            at = new Position(at.query(), null);
            answer = search(connection, at);
        }
        List<LeadNotice> leads = new ArrayList<>();
        int skipped = 0;
        for (JsonNode row : answer.path("results")) {
            LeadNotice notice = notice(connection, row);
            if (notice == null) {
                skipped++;
            } else if (inWindow(notice.createdTime(), request)) {
                leads.add(notice);
            }
        }
        String next = answer.path("nextPageToken").asText("");
        return new LeadPage(leads, next.isEmpty() ? null : write(new Position(at.query(), next))).withSkipped(skipped);
    }

    private JsonNode search(Connection connection, Position at) {
        return credentials.call(connection, token -> ads.search(connection, token, at.query(), at.pageToken(),
                "lead listing"));
    }

    /** The GAQL of a walk; package-visible for tests, which check it verbatim. */
    static String query(Connection connection, ListRequest request) {
        List<String> where = new ArrayList<>();
        if (request.since() != null) {
            where.add("lead_form_submission_data.submission_date_time >= '"
                    + GAQL_TIME.format(request.since().minus(ZONE_MARGIN)) + "'");
        }
        if (request.until() != null) {
            where.add("lead_form_submission_data.submission_date_time < '"
                    + GAQL_TIME.format(request.until().plus(ZONE_MARGIN)) + "'");
        }
        if (request.formId() != null) {
            if (!ASSET_ID.matcher(request.formId()).matches()) {
                throw new ProviderCallException("a Google lead form is named by its asset id (digits), not '"
                        + request.formId() + "'", Kind.INVALID, null);
            }
            where.add("lead_form_submission_data.asset = 'customers/" + connection.externalId() + "/assets/"
                    + request.formId() + "'");
        }
        return "SELECT " + FIELDS + " FROM lead_form_submission_data"
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY lead_form_submission_data.submission_date_time ASC";
    }

    /** A row we cannot identify is skipped (logged), not allowed to block every lead after it. */
    private static LeadNotice notice(Connection connection, JsonNode row) {
        NormalizedLead mapped;
        try {
            mapped = GoogleLeadMapper.normalize(row, null);
        } catch (MalformedPayloadException e) {
            LOG.errorf("%s: a lead_form_submission_data row was skipped: %s", connection, e.getMessage());
            return null;
        }
        return new LeadNotice(ProviderType.GOOGLE_ADS, connection.externalId(), mapped.lead().providerLeadId(),
                mapped.formId(), mapped.adId(), mapped.lead().receivedAt(), row);
    }

    private static boolean inWindow(Instant t, ListRequest request) {
        return (request.since() == null || !t.isBefore(request.since()))
                && (request.until() == null || t.isBefore(request.until()));
    }

    private String write(Position p) {
        try {
            return json.writeValueAsString(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a Google listing position", e);
        }
    }

    private Position read(String position) {
        try {
            Position p = json.readValue(position, Position.class);
            if (p.query() == null || p.query().isBlank()) {
                throw new IllegalArgumentException("no query");
            }
            return p;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ProviderCallException("not a Google listing position: " + e.getMessage(), Kind.INVALID, e);
        }
    }
}
