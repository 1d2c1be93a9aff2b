package com.leadsync.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * An offline TikTok API for Business (providers.md §4.1, §4.3, codes §4.6) under {@code /_local/tiktok} (the
 * {@code open_api} root), every answer in the envelope {@code {"code","message","request_id","data"}} with HTTP 200,
 * errors included:
 * <ul>
 * <li>{@code GET /v1.3/advertiser/info/?advertiser_ids=["<id>"]}: any advertiser, for the {@code Access-Token}s in
 * {@code leadsync.local.tiktok-tokens} (else 40105, none 40104);</li>
 * <li>{@code GET /v1.3/page/get/}: the instant forms in {@code infra/events/tiktok/forms/<page-id>.json}, paged by
 * {@code page}/{@code page_size};</li>
 * <li>{@code POST /v1.3/page/lead/task/}: {@code {"advertiser_id","page_id"}} creates a lead download task
 * (CREATED); with {@code task_id} it reports RUNNING once, then SUCCEED with the file's name;</li>
 * <li>{@code GET /v1.3/page/lead/task/download/}: the finished task's CSV, built from
 * {@code infra/events/tiktok/leads/<page-id>.csv} (the rest of the world), {@code <page-id>.eu.csv} or
 * {@code <page-id>.us.csv} by the task's {@code x-lead-region}, with a UTF-8 BOM and {@code created_time} moved by
 * {@link SampleClock}; before SUCCEED 40201, ten minutes after it 40200 (the link expired).</li>
 * </ul>
 * A task lives in its region: asking for it with another {@code x-lead-region} is asking for an unknown task.
 */
@ApplicationScoped
public class LocalTikTokFake {

    /** The metadata columns of TikTok's lead file (providers.md §4.3); the form's question labels follow them. */
    static final List<String> METADATA_COLUMNS = List.of("lead id", "created_time", "ad_id", "ad_name", "adgroup_id",
            "adgroup_name", "campaign_id", "campaign_name", "form_id", "form_name");
    static final Duration DOWNLOAD_LIFETIME = Duration.ofMinutes(10);
    /** Tasks older than this are forgotten (TikTok's results expire much sooner). */
    private static final Duration TASK_RETENTION = Duration.ofHours(1);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss",
            Locale.ROOT);
    private static final DateTimeFormatter REQUEST_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss",
            Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final Set<String> REGIONS = Set.of("eu", "us");
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();

    private final Path forms;
    private final Path leads;
    private final Set<String> tokens;
    private final SampleClock sampleClock;
    private final Clock clock;
    private final ObjectMapper json;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Task> tasks = new ConcurrentHashMap<>();

    /** A download task: how often it was asked about decides what it reports. */
    private static final class Task {
        final String advertiserId;
        final String pageId;
        final String region;
        final Instant created;
        int polls;
        Instant succeeded;

        Task(String advertiserId, String pageId, String region, Instant created) {
            this.advertiserId = advertiserId;
            this.pageId = pageId;
            this.region = region;
            this.created = created;
        }
    }

    LocalTikTokFake(@ConfigProperty(name = "leadsync.local.tiktok-samples", defaultValue = "infra/events/tiktok")
            String samples,
            @ConfigProperty(name = "leadsync.local.tiktok-tokens", defaultValue = "local-tiktok-token")
            Set<String> tokens, SampleClock sampleClock, Clock clock, ObjectMapper json) {
        this.forms = Path.of(samples, "forms");
        this.leads = Path.of(samples, "leads");
        this.tokens = Set.copyOf(tokens);
        this.sampleClock = sampleClock;
        this.clock = clock;
        this.json = json;
    }

    void routes(@Observes Router router) {
        router.get("/_local/tiktok/v1.3/advertiser/info/").order(-199).blockingHandler(
                FakeReply.handler(ctx -> advertiserInfo(FakeRequest.of(ctx))), false);
        router.get("/_local/tiktok/v1.3/page/get/").order(-199).blockingHandler(
                FakeReply.handler(ctx -> pages(FakeRequest.of(ctx))), false);
        router.post("/_local/tiktok/v1.3/page/lead/task/").order(-199).blockingHandler(
                FakeReply.handler(ctx -> task(FakeRequest.of(ctx))), false);
        router.get("/_local/tiktok/v1.3/page/lead/task/download/").order(-199).blockingHandler(
                FakeReply.handler(ctx -> download(FakeRequest.of(ctx))), false);
    }

    FakeReply advertiserInfo(FakeRequest req) {
        FakeReply refused = refusedToken(req);
        if (refused != null) {
            return refused;
        }
        List<String> ids = new ArrayList<>();
        try {
            JsonNode given = json.readTree(String.valueOf(req.param("advertiser_ids")));
            for (JsonNode id : given != null && given.isArray() ? given : json.createArrayNode()) {
                ids.add(id.isTextual() || id.isIntegralNumber() ? id.asText() : "");
            }
        } catch (JsonProcessingException e) {
            ids.clear();
        }
        if (ids.isEmpty() || ids.size() > 100 || !ids.stream().allMatch(id -> id.matches("[0-9]{1,30}"))) {
            return error(40002, "advertiser_ids: a JSON array of 1 to 100 advertiser id strings is required.");
        }
        ObjectNode data = json.createObjectNode();
        ArrayNode list = data.putArray("list");
        for (String id : ids) {
            list.addObject().put("advertiser_id", id).put("name", "Local advertiser " + id)
                    .put("status", "STATUS_ENABLE").put("role", "ROLE_ADVERTISER").put("currency", "USD")
                    .put("timezone", "Etc/GMT").put("country", "US").put("company", "Local company " + id);
        }
        return ok(data);
    }

    FakeReply pages(FakeRequest req) {
        FakeReply refused = refusedToken(req);
        if (refused != null) {
            return refused;
        }
        if (!String.valueOf(req.param("advertiser_id")).matches("[0-9]{1,30}")) {
            return error(40002, "advertiser_id: an advertiser id is required (the local fake has no form libraries).");
        }
        int page;
        int pageSize;
        try {
            page = req.param("page") == null ? 1 : Integer.parseInt(req.param("page"));
            pageSize = req.param("page_size") == null ? 10 : Integer.parseInt(req.param("page_size"));
        } catch (NumberFormatException e) {
            page = 0;
            pageSize = 0;
        }
        if (page < 1 || pageSize < 1 || pageSize > 100) {
            return error(40002, "page must be >= 1 and page_size 1-100.");
        }
        String type = req.param("business_type") == null ? "LEAD_GEN" : req.param("business_type");
        List<ObjectNode> all = new ArrayList<>(type.equals("LEAD_GEN") ? SampleFiles.all(json, forms) : List.of());
        all.sort(Comparator.comparing(form -> form.path("page_id").asText()));
        ObjectNode data = json.createObjectNode();
        ArrayNode list = data.putArray("list");
        long from = (long) (page - 1) * pageSize;
        all.stream().skip(from).limit(pageSize).forEach(list::add);
        data.putObject("page_info").put("page", page).put("page_size", pageSize).put("total_number", all.size())
                .put("total_page", (all.size() + pageSize - 1) / pageSize);
        return ok(data);
    }

    /** Creates a task, or reports one: RUNNING on the first question, SUCCEED from the second on. */
    FakeReply task(FakeRequest req) {
        FakeReply refused = refusedToken(req);
        if (refused != null) {
            return refused;
        }
        String region = req.header("x-lead-region");
        if (region != null && !REGIONS.contains(region)) {
            return error(40002, "x-lead-region must be eu or us (none for the rest of the world), got " + region);
        }
        JsonNode body;
        try {
            body = json.readTree(req.bodyText());
        } catch (JsonProcessingException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            return error(40002, "The request body must be a JSON object.");
        }
        String advertiserId = body.path("advertiser_id").asText("");
        if (!advertiserId.matches("[0-9]{1,30}")) {
            return error(40002, "advertiser_id: an advertiser id is required (the local fake has no form libraries).");
        }
        String taskId = body.path("task_id").asText("");
        if (!taskId.isEmpty()) {
            Task task = tasks.get(key(region, taskId));
            if (task == null || !task.advertiserId.equals(advertiserId)) {
                return error(40002, "task_id " + taskId + " does not exist for this advertiser in this data region.");
            }
            ObjectNode data = json.createObjectNode().put("task_id", taskId);
            synchronized (task) {
                task.polls++;
                if (task.polls == 1) {
                    data.put("status", "RUNNING");
                } else {
                    if (task.succeeded == null) {
                        task.succeeded = clock.instant();
                    }
                    data.put("status", "SUCCEED").put("file_name", fileName(task, taskId)).put("file_type", "csv");
                }
            }
            return ok(data);
        }
        if (body.hasNonNull("ad_id") && !body.hasNonNull("page_id")) {
            return error(40002, "page_id is required (the local fake exports by instant form, not by ad).");
        }
        String pageId = body.path("page_id").asText("");
        if (SampleFiles.one(json, forms, pageId).isEmpty()) {
            return error(40002, "page_id " + pageId + " is not an instant form of this advertiser (local fake: add "
                    + forms.resolve(pageId + ".json") + ").");
        }
        Instant now = clock.instant();
        tasks.values().removeIf(t -> t.created.plus(TASK_RETENTION).isBefore(now));
        String id = newId();
        tasks.put(key(region, id), new Task(advertiserId, pageId, region, now));
        return ok(json.createObjectNode().put("task_id", id).put("status", "CREATED"));
    }

    /** The finished task's CSV bytes, or the envelope saying why not. */
    FakeReply download(FakeRequest req) {
        FakeReply refused = refusedToken(req);
        if (refused != null) {
            return refused;
        }
        String region = req.header("x-lead-region");
        String taskId = String.valueOf(req.param("task_id"));
        Task task = tasks.get(key(region, taskId));
        if (task == null || !task.advertiserId.equals(req.param("advertiser_id"))) {
            return error(40002, "task_id " + taskId + " does not exist for this advertiser in this data region.");
        }
        Instant succeeded;
        synchronized (task) {
            succeeded = task.succeeded;
        }
        if (succeeded == null) {
            return error(40201, "The task is not finished yet: ask /page/lead/task/ until its status is SUCCEED.");
        }
        if (!clock.instant().isBefore(succeeded.plus(DOWNLOAD_LIFETIME))) {
            return error(40200, "The task's file has expired: create a new task.");
        }
        return new FakeReply(200, "text/csv; charset=UTF-8",
                Map.of("content-disposition", "attachment; filename=\"" + fileName(task, taskId) + "\""),
                csv(task.pageId, task.region));
    }

    /** The form's sample file for the region, {@code created_time} moved, written back with a BOM. */
    byte[] csv(String pageId, String region) {
        String name = pageId + (region == null ? "" : "." + region) + ".csv";
        List<String[]> rows = new ArrayList<>();
        SampleFiles.bytes(leads, name).ifPresentOrElse(bytes -> rows.addAll(read(bytes, leads.resolve(name))),
                () -> rows.add(METADATA_COLUMNS.toArray(String[]::new)));
        int time = Arrays.asList(rows.get(0)).indexOf("created_time");
        for (String[] row : rows.subList(1, rows.size())) {
            if (time >= 0 && time < row.length) {
                row[time] = moved(row[time]);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(UTF8_BOM);
        try (Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                SequenceWriter csv = CSV.writerFor(String[].class).with(CsvSchema.emptySchema()).writeValues(writer)) {
            csv.writeAll(rows);
        } catch (IOException e) {
            throw new UncheckedIOException("writing a CSV in memory", e);
        }
        return out.toByteArray();
    }

    private static List<String[]> read(byte[] bytes, Path file) {
        int skip = bytes.length >= 3 && bytes[0] == UTF8_BOM[0] && bytes[1] == UTF8_BOM[1] && bytes[2] == UTF8_BOM[2]
                ? 3 : 0;
        String text = new String(bytes, skip, bytes.length - skip, StandardCharsets.UTF_8);
        try (MappingIterator<String[]> rows = CSV.readerFor(String[].class).readValues(text)) {
            List<String[]> all = rows.readAll();
            if (all.isEmpty() || !Arrays.asList(all.get(0)).containsAll(List.of("lead id", "created_time"))) {
                throw new SampleFiles.BrokenSample("sample " + file + " needs a header row with \"lead id\" and"
                        + " \"created_time\"", null);
            }
            return all;
        } catch (IOException e) {
            throw new SampleFiles.BrokenSample("sample " + file + " is not a CSV: " + e.getMessage(), e);
        }
    }

    /** A file time ({@code YYYY-MM-DD HH:MM:SS}, UTC+0) moved by the sample clock; another text stays as it is. */
    private String moved(String cell) {
        try {
            Instant written = LocalDateTime.parse(cell, FILE_TIME).toInstant(ZoneOffset.UTC);
            return FILE_TIME.format(sampleClock.present(written).atOffset(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return cell;
        }
    }

    private FakeReply refusedToken(FakeRequest req) {
        String token = req.header("access-token");
        if (token == null || token.isBlank()) {
            return error(40104, "Access token is null, please check your access token.");
        }
        if (!tokens.contains(token)) {
            return error(40105, "Access token is incorrect or has been revoked (local fake: tokens are"
                    + " leadsync.local.tiktok-tokens).");
        }
        return null;
    }

    private FakeReply ok(ObjectNode data) {
        return envelope(0, "OK", data);
    }

    private FakeReply error(int code, String message) {
        return envelope(code, message, json.createObjectNode());
    }

    /** TikTok answers HTTP 200 for its own errors too: the code says what happened. */
    private FakeReply envelope(int code, String message, ObjectNode data) {
        byte[] suffix = new byte[8];
        random.nextBytes(suffix);
        ObjectNode body = json.createObjectNode().put("code", code).put("message", message)
                .put("request_id", REQUEST_ID_TIME.format(clock.instant())
                        + HexFormat.of().withUpperCase().formatHex(suffix));
        body.set("data", data);
        return FakeReply.json(200, body);
    }

    /** A 19-digit id, as TikTok's are (beyond 2^53: kept as a string everywhere). */
    private String newId() {
        return "74" + String.format(Locale.ROOT, "%017d", Math.floorMod(random.nextLong(), 100_000_000_000_000_000L));
    }

    private static String key(String region, String taskId) {
        return (region == null ? "row" : region) + "/" + taskId;
    }

    private static String fileName(Task task, String taskId) {
        return "leads_" + task.pageId + "_" + taskId + ".csv";
    }
}
