package com.leadsync.source.tiktok;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.model.ProviderType;
import com.leadsync.source.LeadNotice;
import com.leadsync.source.MalformedPayloadException;
import com.leadsync.source.WebhookBatch;
import java.io.IOException;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Reads TikTok's webhook (providers.md §4.2) into one {@link LeadNotice} per lead entry. Each entry is a whole lead
 * (its answers are in {@code changes}), so the entry itself is the notice's payload and nothing is fetched; batches of
 * up to 1000 entries may mix advertisers, each routed by its own {@code advertiser_id}.
 */
public final class TikTokWebhookParser {

    private static final Logger LOG = Logger.getLogger(TikTokWebhookParser.class);

    /** {@code object} of a lead event; 2, 3, 8, 11, ... are ad reviews, creative fatigue, reporting changes. */
    static final int LEAD_OBJECT = 1;

    private TikTokWebhookParser() {
    }

    /**
     * Notices in payload order. Events for other objects yield nothing (one callback URL may serve several
     * subscriptions), rather than an error TikTok would retry for 24 hours. A lead entry without its id, advertiser
     * or creation time is skipped and logged; the batch's other leads are kept (see {@link WebhookBatch}).
     *
     * @throws MalformedPayloadException when the body is not a JSON object, has no numeric {@code object}, or is a
     *     lead event whose {@code entry} is not an array, or not one of whose entries is a readable lead entry
     */
    public static List<LeadNotice> parse(byte[] body, ObjectMapper mapper) {
        JsonNode root = readTree(body, mapper);
        if (!root.isObject()) {
            throw new MalformedPayloadException("TikTok webhook body must be a JSON object");
        }
        if (object(root.get("object")) != LEAD_OBJECT) {
            return List.of();
        }
        JsonNode entries = root.get("entry");
        if (entries == null || !entries.isArray()) {
            throw new MalformedPayloadException("TikTok webhook \"entry\" must be an array");
        }
        WebhookBatch batch = new WebhookBatch("TikTok");
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            String where = "entry[" + i + "]";
            batch.entry(() -> notice(entry, where));
        }
        return batch.notices();
    }

    private static LeadNotice notice(JsonNode entry, String where) {
        if (!entry.isObject()) {
            throw new MalformedPayloadException(where + " must be an object");
        }
        String advertiserId = TikTokIds.optional(entry.get("advertiser_id"), where + ".advertiser_id");
        if (advertiserId == null) {
            String library = TikTokIds.text(entry.get("library_id"), where + ".library_id");
            if (library != null) {
                // A Business Center form library's lead: no advertiser connection can own it.
                LOG.warnf("TikTok webhook %s: lead of form library %s without an advertiser id is not ours, skipped",
                        where, library.length() > 40 ? library.substring(0, 40) : library);
                return null;
            }
            throw new MalformedPayloadException(where + " has no \"advertiser_id\"");
        }
        // What the mapper will need, checked now: a lead that would fail normalization is skipped here.
        TikTokLeadMapper.Submission lead;
        try {
            lead = TikTokLeadMapper.read(entry);
        } catch (MalformedPayloadException e) {
            throw new MalformedPayloadException(where + ": " + e.getMessage(), e);
        }
        return new LeadNotice(ProviderType.TIKTOK_ADS, advertiserId, lead.leadId(), lead.formId(), lead.adId(),
                lead.createdTime(), entry);
    }

    /** {@code object} is a number in TikTok's payloads; a digit string is read the same. */
    private static int object(JsonNode object) {
        if (object != null && object.isIntegralNumber() && object.canConvertToInt()) {
            return object.intValue();
        }
        if (object != null && object.isTextual() && object.textValue().trim().matches("[0-9]{1,9}")) {
            return Integer.parseInt(object.textValue().trim());
        }
        throw new MalformedPayloadException("TikTok webhook body has no numeric \"object\"");
    }

    private static JsonNode readTree(byte[] body, ObjectMapper mapper) {
        if (body == null || body.length == 0) {
            throw new MalformedPayloadException("TikTok webhook body is empty");
        }
        try {
            JsonNode root = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
            if (root == null || root.isMissingNode()) {
                throw new MalformedPayloadException("TikTok webhook body is empty");
            }
            return root;
        } catch (JacksonException e) {
            throw new MalformedPayloadException("TikTok webhook body is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MalformedPayloadException("TikTok webhook body could not be read", e);
        }
    }
}
