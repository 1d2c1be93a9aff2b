package com.leadsync.source.tiktok;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.model.ProviderCallException.Kind;
import com.leadsync.model.ProviderCallException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.Optional;

/**
 * Where a walk over an advertiser's leads stands, persisted by the walker between pages as small JSON:
 * <ul>
 * <li>{@code formsPage}/{@code formIndex}: the form's place in {@code /page/get/}'s listing (unused for one form);
 * <li>{@code formId}: the form being read, or null between forms, when {@code previousFormId} is the form just
 *     finished (its place is looked up again, so a form added or deleted meanwhile shifts nothing);
 * <li>{@code region}: {@code row}, {@code eu} or {@code us};
 * <li>{@code taskId}: the download task of that form and region (null: not created yet);
 * <li>{@code taskCreatedAt}: when that task was created (epoch seconds; null in positions from before it was kept),
 *     so that a task that never gets ready is given up;
 * <li>{@code rowOffset}: data rows of that task's file already read;
 * <li>{@code restarts}: fresh tasks made for this form and region after a failed or expired one.
 * </ul>
 * A task still running is a position with its {@code taskId}, and the page it comes with is empty and asks the
 * walker to come back later.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
record TikTokListPosition(int formsPage, int formIndex, String formId, String previousFormId, String region,
        String taskId, Long taskCreatedAt, long rowOffset, int restarts) {

    /** The first position of a walk: the first listed form, or {@code formId} alone. */
    static TikTokListPosition start(String formId) {
        return new TikTokListPosition(1, 0, formId, null, TikTokRegion.REST_OF_WORLD.key, null, null, 0, 0);
    }

    static TikTokListPosition decode(ObjectMapper json, String text) {
        TikTokListPosition p;
        try {
            p = json.readValue(text, TikTokListPosition.class);
        } catch (JsonProcessingException e) {
            throw unreadable(text);
        }
        boolean valid = p != null && p.formsPage >= 1 && p.formIndex >= 0 && p.rowOffset >= 0 && p.restarts >= 0
                && TikTokRegion.byKey(p.region).isPresent()
                && (p.formId == null || TikTokIds.isId(p.formId))
                && (p.previousFormId == null || TikTokIds.isId(p.previousFormId))
                && (p.taskId == null || TikTokIds.isId(p.taskId))
                && (p.taskId == null || p.formId != null)
                && (p.taskCreatedAt == null || p.taskId != null && p.taskCreatedAt >= 0);
        if (!valid) {
            throw unreadable(text);
        }
        return p;
    }

    String encode(ObjectMapper json) {
        try {
            return json.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list position is always JSON", e);
        }
    }

    TikTokRegion regionValue() {
        return TikTokRegion.byKey(region).orElseThrow();
    }

    /** At {@code form}, the {@code index}-th form of listing page {@code page}, from its first region. */
    static TikTokListPosition atForm(int page, int index, String form) {
        return new TikTokListPosition(page, index, form, null, TikTokRegion.REST_OF_WORLD.key, null, null, 0, 0);
    }

    /** Waiting on, or reading, task {@code id}; a task not seen before (or of unknown age) was created {@code now}. */
    TikTokListPosition withTask(String id, Instant now) {
        boolean same = id.equals(taskId);
        Long created = same && taskCreatedAt != null ? taskCreatedAt : Long.valueOf(now.getEpochSecond());
        return new TikTokListPosition(formsPage, formIndex, formId, null, region, id, created, same ? rowOffset : 0,
                restarts);
    }

    /** When the current task was created, if known. */
    Optional<Instant> taskCreated() {
        return Optional.ofNullable(taskCreatedAt).map(Instant::ofEpochSecond);
    }

    /** {@code rows} data rows of the current task's file read. */
    TikTokListPosition readTo(long rows) {
        return new TikTokListPosition(formsPage, formIndex, formId, null, region, taskId, taskCreatedAt, rows,
                restarts);
    }

    /** A fresh task for the same form and region, read from its first row. */
    TikTokListPosition restarted() {
        return new TikTokListPosition(formsPage, formIndex, formId, null, region, null, null, 0, restarts + 1);
    }

    /** The same form in {@code next} region. */
    TikTokListPosition inRegion(TikTokRegion next) {
        return new TikTokListPosition(formsPage, formIndex, formId, null, next.key, null, null, 0, 0);
    }

    /** Between forms: the form just finished is remembered so that the next one can be found. */
    TikTokListPosition afterForm() {
        return new TikTokListPosition(formsPage, formIndex, null, formId, TikTokRegion.REST_OF_WORLD.key, null, null, 0,
                0);
    }

    private static ProviderCallException unreadable(String text) {
        return new ProviderCallException("unreadable TikTok list position: "
                + (text.length() > 200 ? text.substring(0, 200) + "…" : text), Kind.INVALID, null);
    }
}
