package com.leadsync.source.tiktok;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * An advertiser's leads, page by page, from TikTok's lead download (providers.md §4.3): TikTok has no incremental
 * list API, so each lead form ({@code /page/get/}, business type LEAD_GEN) is exported whole in each of the three
 * data regions by an asynchronous task ({@code POST /page/lead/task/} → {@code task_id}; the same call with the
 * {@code task_id} until {@code status} is SUCCEED; then {@code /page/lead/task/download/}), and the rows are filtered
 * here on {@code created_time} within [since, until).
 *
 * <p>One page is one step: list forms when between forms, create or poll the task, and, once it succeeded, read at
 * most {@code leadsync.tiktok.list-page-size} leads of its file. A task still running gives an empty page whose
 * position names the task (and when it was created) and that asks the walker to come back after a delay, so that
 * TikTok is not asked again and again meanwhile; a task still not ready after {@link #TASK_PATIENCE} counts as
 * failed. The file is streamed and read again from the top on each page of the same task, skipping the rows
 * already read: nothing but one page of leads is held, and a page stays cheap to retry after a crash, at the price
 * of downloading a long file once per page (the position cannot hold the file, and the link is good for only about
 * ten minutes anyway). A task that failed, expired, took too long or got TikTok's "task error, retry the task"
 * (40200) is replaced by a fresh one from the first row, at most {@link #MAX_TASK_RESTARTS} times (rows read twice
 * are duplicates the pipeline drops); after that the error is the page's.
 */
@ApplicationScoped
public class TikTokLeadLister implements LeadLister {

    private static final Logger LOG = Logger.getLogger(TikTokLeadLister.class);

    static final int MAX_TASK_RESTARTS = 2;
    /** How long a download task may stay not ready before a fresh one replaces it. */
    static final Duration TASK_PATIENCE = Duration.ofMinutes(10);
    private static final String LEAD_GEN = "LEAD_GEN";

    private final TikTokApi api;
    private final ObjectMapper json;
    private final Credentials credentials;
    private final Clock clock;
    private final int pageSize;
    private final int formsPageSize;
    private final long maxAnswer;
    private final long maxFile;
    private final Duration taskPollDelay;

    TikTokLeadLister(@RestClient TikTokApi api, ObjectMapper json, Credentials credentials, Clock clock,
            @ConfigProperty(name = "leadsync.tiktok.list-page-size") int pageSize,
            @ConfigProperty(name = "leadsync.tiktok.forms-page-size") int formsPageSize,
            @ConfigProperty(name = "leadsync.providers.max-answer-size") MemorySize maxAnswer,
            @ConfigProperty(name = "leadsync.tiktok.max-file-size") MemorySize maxFile,
            @ConfigProperty(name = "leadsync.tiktok.task-poll-delay") Duration taskPollDelay) {
        if (pageSize < 1 || formsPageSize < 1 || formsPageSize > 100) {
            throw new IllegalArgumentException("leadsync.tiktok.list-page-size must be at least 1 and"
                    + " leadsync.tiktok.forms-page-size 1 to 100 (TikTok's limit)");
        }
        if (taskPollDelay.compareTo(Duration.ofSeconds(1)) < 0 || taskPollDelay.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("leadsync.tiktok.task-poll-delay must be 1 s to 1 min, got "
                    + taskPollDelay);
        }
        this.api = api;
        this.json = json;
        this.credentials = credentials;
        this.clock = clock;
        this.pageSize = pageSize;
        this.formsPageSize = formsPageSize;
        this.maxAnswer = maxAnswer.asLongValue();
        this.maxFile = maxFile.asLongValue();
        this.taskPollDelay = taskPollDelay;
    }

    @Override
    public ProviderType type() {
        return ProviderType.TIKTOK_ADS;
    }

    @Override
    public Optional<String> formIdProblem(String formId) {
        return formId != null && TikTokIds.isId(formId.trim()) ? Optional.empty()
                : Optional.of("a TikTok form is named by its instant form (page) id: digits only, at most 32, got '"
                        + formId + "'");
    }

    @Override
    public LeadPage page(Connection connection, ListRequest request) {
        if (request.formId() != null && !TikTokIds.isId(request.formId())) {
            throw new ProviderCallException("formId must be a TikTok instant form (page) id: digits only, at most 32",
                    Kind.INVALID, null);
        }
        TikTokListPosition p = request.position() == null ? TikTokListPosition.start(request.formId())
                : TikTokListPosition.decode(json, request.position());
        if (p.formId() == null) {
            Optional<TikTokListPosition> form = request.formId() == null ? nextForm(connection, p) : Optional.empty();
            if (form.isEmpty()) {
                return new LeadPage(List.of(), null);
            }
            p = form.get();
        }
        return readForm(connection, request, p);
    }

    /** The form to read next, from the listing page the position names onwards; empty when every form is read. */
    private Optional<TikTokListPosition> nextForm(Connection c, TikTokListPosition p) {
        int listing = p.formsPage();
        String previous = p.previousFormId();
        int index = p.formIndex();
        while (true) {
            int page = listing;
            JsonNode data = call(c, "lead form listing page " + page,
                    token -> () -> api.pages(c.externalId(), LEAD_GEN, page, formsPageSize, token));
            List<String> forms = new ArrayList<>();
            data.path("list").forEach(form -> {
                String id = TikTokIds.hint(form.get("page_id"));
                if (id != null) {
                    forms.add(id);
                }
            });
            // After a form: the one listed after it now; if it is gone, the one that took its place.
            int at = previous == null ? index : forms.indexOf(previous) >= 0 ? forms.indexOf(previous) + 1 : index;
            if (at < forms.size()) {
                return Optional.of(TikTokListPosition.atForm(page, at, forms.get(at)));
            }
            int totalPages = data.path("page_info").path("total_page").asInt(page);
            if (forms.isEmpty() || page >= totalPages) {
                return Optional.empty();
            }
            listing = page + 1;
            previous = null;
            index = 0;
        }
    }

    private LeadPage readForm(Connection c, ListRequest r, TikTokListPosition p) {
        TikTokRegion region = p.regionValue();
        String where = "form " + p.formId() + " in region " + region.key;
        JsonNode task;
        if (p.taskId() == null) {
            try {
                task = call(c, "lead download task creation for " + where,
                        token -> () -> api.leadTask(taskBody(c, p, null), region.header, token));
            } catch (TikTokCallException e) {
                if (e.code() != TikTokErrors.TASK_ERROR) {
                    throw e;
                }
                return restartOrFail(p, e); // "task error, retry the task": a fresh one, counted like the others
            }
        } else {
            try {
                task = call(c, "lead download task " + p.taskId() + " of " + where,
                        token -> () -> api.leadTask(taskBody(c, p, p.taskId()), region.header, token));
            } catch (TikTokCallException e) {
                return afterTaskError(p, e);
            }
        }
        String taskId = Optional.ofNullable(TikTokIds.hint(task.get("task_id"))).orElse(p.taskId());
        if (taskId == null) {
            throw new TikTokCallException("TikTok answered without a task_id for " + where, Kind.TRANSIENT, -1, null);
        }
        String status = task.path("status").asText("");
        String named = "lead download task " + taskId + " of " + where;
        String about = "TikTok " + named;
        return switch (status) {
            case "SUCCEED" -> download(c, r, p.withTask(taskId, clock.instant()), "download of " + named);
            case "CREATED", "RUNNING" -> waiting(p.withTask(taskId, clock.instant()));
            case "FAILED" -> restartOrFail(p.withTask(taskId, clock.instant()),
                    new TikTokCallException(about + " FAILED", Kind.TRANSIENT, -1, null));
            default -> throw new TikTokCallException(about + " has an unknown status \""
                    + (status.length() > 40 ? status.substring(0, 40) : status) + "\"", Kind.TRANSIENT, -1, null);
        };
    }

    private LeadPage download(Connection c, ListRequest r, TikTokListPosition p, String what) {
        try {
            return credentials.call(c, token -> read(c, r, p, what, token));
        } catch (TikTokCallException e) {
            return afterTaskError(p, e);
        }
    }

    private LeadPage read(Connection c, ListRequest r, TikTokListPosition p, String what, String token) {
        TikTokRegion region = p.regionValue();
        try (Response response = TikTokCalls.send(what,
                () -> api.download(c.externalId(), p.taskId(), region.header, token))) {
            int status = response.getStatus();
            if (status / 100 != 2) {
                throw TikTokCalls.error(json, what, status, TikTokCalls.text(response, maxAnswer, what));
            }
            InputStream body = response.readEntity(InputStream.class);
            try (TikTokLeadFile file = TikTokLeadFile.open(body, json, what, maxFile)) {
                return rows(c, r, p, file, what);
            }
        } catch (JacksonException e) {
            throw new TikTokCallException("TikTok's lead file is not a readable CSV during " + what + ": "
                    + e.getOriginalMessage(), Kind.INVALID, -1, e);
        } catch (IOException e) {
            throw new TikTokCallException("TikTok's lead file could not be read to the end during " + what + ": "
                    + e.getMessage(), Kind.TRANSIENT, -1, e);
        } catch (ProcessingException e) {
            throw TikTokCalls.unreachable(what, e);
        }
    }

    private LeadPage rows(Connection c, ListRequest r, TikTokListPosition p, TikTokLeadFile file, String what)
            throws IOException {
        if (file.header().isEmpty()) {
            return new LeadPage(List.of(), next(r, p)); // an empty file: no leads in this form and region
        }
        if (!file.hasLeadIdColumn()) {
            // TikTok may put an error in the file itself (providers.md §4.3).
            String first = file.header().get(0);
            throw new TikTokCallException("TikTok's file is not a lead file during " + what + " (no \"lead id\" column;"
                    + " it starts with \"" + (first.length() > 100 ? first.substring(0, 100) + "…" : first) + "\")",
                    Kind.INVALID, -1, null);
        }
        for (long skipped = 0; skipped < p.rowOffset(); skipped++) {
            if (file.next() == null) {
                return new LeadPage(List.of(), next(r, p)); // shorter than before: nothing left to read
            }
        }
        List<LeadNotice> leads = new ArrayList<>();
        int unreadable = 0;
        long row = p.rowOffset();
        String region = p.regionValue().key;
        String[] cells;
        while (leads.size() < pageSize && (cells = file.next()) != null) {
            row++;
            ObjectNode payload = file.payload(json, cells, region);
            TikTokLeadMapper.Submission lead;
            try {
                lead = TikTokLeadMapper.read(payload);
            } catch (MalformedPayloadException e) {
                // Not a lead the contract can hold (no id, no time): skipped, and said so, rather than block the walk.
                LOG.warnf("TikTok %s: row %d skipped: %s", what, row, e.getMessage());
                unreadable++;
                continue;
            }
            if (within(lead.createdTime(), r)) {
                leads.add(new LeadNotice(ProviderType.TIKTOK_ADS, c.externalId(), lead.leadId(),
                        lead.formId() != null ? lead.formId() : p.formId(), lead.adId(), lead.createdTime(), payload));
            }
        }
        return new LeadPage(leads, file.hasNext() ? p.readTo(row).encode(json) : next(r, p)).withSkipped(unreadable);
    }

    /** After a form and region is read: the next region, else the next form, else (one form) the end. */
    private String next(ListRequest r, TikTokListPosition p) {
        Optional<TikTokRegion> region = p.regionValue().next();
        if (region.isPresent()) {
            return p.inRegion(region.get()).encode(json);
        }
        return r.formId() != null ? null : p.afterForm().encode(json);
    }

    /**
     * A task that is not ready yet after {@link #TASK_PATIENCE} is given up for a fresh one (TikTok keeps a task's
     * result only about ten minutes anyway); until then the walker comes back to it after a delay that grows with
     * the task's age, from {@code leadsync.tiktok.task-poll-delay} to three times that.
     */
    private LeadPage waiting(TikTokListPosition p) {
        Instant now = clock.instant();
        Duration age = Duration.between(p.taskCreated().orElse(now), now);
        if (age.compareTo(TASK_PATIENCE) > 0) {
            return restartOrFail(p, new TikTokCallException("TikTok lead download task " + p.taskId() + " of form "
                    + p.formId() + " in region " + p.regionValue().key + " is still not ready "
                    + age.toMinutes() + " min after it was created", Kind.TRANSIENT, -1, null));
        }
        Duration half = age.dividedBy(2);
        Duration most = taskPollDelay.multipliedBy(3);
        Duration delay = half.compareTo(taskPollDelay) < 0 ? taskPollDelay : half.compareTo(most) > 0 ? most : half;
        return LeadPage.comeBackAfter(p.encode(json), delay);
    }

    /**
     * A task that exists but cannot be read: not ready yet (wait), an error TikTok says to retry the task for, an
     * outage or a token problem (the caller's), or anything else (failed, expired, unknown to TikTok now): a fresh
     * task.
     */
    private LeadPage afterTaskError(TikTokListPosition p, TikTokCallException e) {
        if (e.code() == TikTokErrors.TASK_NOT_READY) {
            return waiting(p);
        }
        if (e.code() == TikTokErrors.TASK_ERROR) {
            return restartOrFail(p, e);
        }
        if (e.isTransient() || e.kind() == Kind.UNAUTHORIZED || e.kind() == Kind.FORBIDDEN) {
            throw e;
        }
        return restartOrFail(p, e);
    }

    private LeadPage restartOrFail(TikTokListPosition p, TikTokCallException e) {
        if (p.restarts() < MAX_TASK_RESTARTS) {
            LOG.warnf("%s; starting a fresh task (%d of %d)", e.getMessage(), p.restarts() + 1, MAX_TASK_RESTARTS);
            return new LeadPage(List.of(), p.restarted().encode(json));
        }
        throw new TikTokCallException(e.getMessage() + " (after " + MAX_TASK_RESTARTS + " fresh tasks)", e.kind(),
                e.code(), e);
    }

    private ObjectNode taskBody(Connection c, TikTokListPosition p, String taskId) {
        ObjectNode body = json.createObjectNode();
        body.put("advertiser_id", c.externalId());
        body.put("page_id", p.formId());
        if (taskId != null) {
            body.put("task_id", taskId);
        }
        return body;
    }

    private static boolean within(Instant t, ListRequest r) {
        return (r.since() == null || !t.isBefore(r.since())) && (r.until() == null || t.isBefore(r.until()));
    }

    /** A JSON call with the connection's current token (the credentials component picks it). */
    private JsonNode call(Connection c, String what, Function<String, Supplier<Response>> request) {
        return credentials.call(c, token -> TikTokCalls.call(json, maxAnswer, what, request.apply(token)));
    }
}
