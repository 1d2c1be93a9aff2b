package com.leadsync.source.linkedin;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.lead.InstantRange;
import com.leadsync.model.ProviderType;
import com.leadsync.source.LeadNotice;
import com.leadsync.source.MalformedPayloadException;
import com.leadsync.source.WebhookBatch;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Reads LinkedIn's lead notification (providers.md §3.2) into ids-only notices: the lead is fetched
 * afterwards by its response id. No verbatim example of the payload is published ([S/U]), so it is read
 * defensively: one notification object or an array of them; only what routing and dedup need is strict
 * (the sponsored account and the response id); form, creative and time are hints, dropped when odd.
 */
final class LinkedInWebhookParser {

    private static final Logger LOG = Logger.getLogger(LinkedInWebhookParser.class);

    private LinkedInWebhookParser() {
    }

    /**
     * One notice per created lead of a sponsored account. Deletions ({@code leadAction: DELETED}), other
     * notification types and organization-owned leads (we connect sponsored accounts only) yield nothing.
     *
     * A notification of an array that lacks a plausible {@code owner.sponsoredAccount} or {@code leadGenFormResponse}
     * is skipped and logged; the others are kept (see {@link WebhookBatch}).
     *
     * @throws MalformedPayloadException when the body is not JSON, not an object or array, or not one of its
     *     notifications is readable (a single notification object lacking those ids included)
     */
    static List<LeadNotice> parse(byte[] body, ObjectMapper json) {
        JsonNode root = readTree(body, json);
        WebhookBatch batch = new WebhookBatch("LinkedIn");
        if (root.isObject()) {
            batch.entry(() -> notice(root, "notification").orElse(null));
        } else if (root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                JsonNode notification = root.get(i);
                String where = "notification[" + i + "]";
                batch.entry(() -> notice(notification, where).orElse(null));
            }
        } else {
            throw new MalformedPayloadException("LinkedIn webhook body must be a JSON object or an array of them");
        }
        return batch.notices();
    }

    private static Optional<LeadNotice> notice(JsonNode n, String where) {
        if (!n.isObject()) {
            throw new MalformedPayloadException(where + " must be an object");
        }
        String type = text(n.get("type"), where + ".type");
        if (type != null && !"LEAD_ACTION".equals(type)) {
            LOG.infof("LinkedIn %s of type %s ignored", where, type);
            return Optional.empty();
        }
        if ("DELETED".equals(text(n.get("leadAction"), where + ".leadAction"))) {
            // The member deleted the lead or LinkedIn purged it: nothing to create.
            return Optional.empty();
        }
        JsonNode owner = n.get("owner");
        if (owner == null || !owner.isObject()) {
            throw new MalformedPayloadException(where + " has no \"owner\" object");
        }
        String accountUrn = text(owner.get("sponsoredAccount"), where + ".owner.sponsoredAccount");
        if (accountUrn == null && owner.hasNonNull("organization")) {
            LOG.infof("LinkedIn %s is a lead of an organization, not of a sponsored account: ignored", where);
            return Optional.empty();
        }
        if (accountUrn == null) {
            throw new MalformedPayloadException(where + ".owner has neither \"sponsoredAccount\" nor \"organization\"");
        }
        String accountId = LinkedInUrns.idOf(accountUrn, LinkedInUrns.SPONSORED_ACCOUNT)
                .filter(LinkedInUrns::isAccountId)
                .orElseThrow(() -> new MalformedPayloadException(where + ".owner.sponsoredAccount is not a "
                        + LinkedInUrns.SPONSORED_ACCOUNT + "{digits} URN, got " + shown(accountUrn)));
        String responseUrn = text(n.get("leadGenFormResponse"), where + ".leadGenFormResponse");
        if (responseUrn == null) {
            throw new MalformedPayloadException(where + " has no \"leadGenFormResponse\"");
        }
        String leadId = LinkedInUrns.idOf(responseUrn, LinkedInUrns.LEAD_RESPONSE)
                .filter(LinkedInUrns::isLeadId)
                .orElseThrow(() -> new MalformedPayloadException(where + ".leadGenFormResponse is not a "
                        + LinkedInUrns.LEAD_RESPONSE + "{id} URN, got " + shown(responseUrn)));
        return Optional.of(LeadNotice.idsOnly(ProviderType.LINKEDIN_ADS, accountId, leadId,
                formHint(n.get("leadGenForm"), where),
                LinkedInUrns.numericId(n.path("associatedEntity").get("associatedCreative"), LinkedInUrns.CREATIVE),
                timeHint(n.get("occurredAt"), where)));
    }

    private static String formHint(JsonNode urn, String where) {
        Optional<String> form = LinkedInUrns.formVersion(urn).map(LinkedInUrns.FormVersion::formId);
        if (urn != null && !urn.isNull() && form.isEmpty()) {
            LOG.warnf("LinkedIn %s.leadGenForm hint dropped: %s", where, shown(urn.toString()));
        }
        return form.orElse(null);
    }

    private static Instant timeHint(JsonNode node, String where) {
        if (node == null || !node.canConvertToExactIntegral() || !node.canConvertToLong()) {
            return null;
        }
        Instant t = Instant.ofEpochMilli(node.longValue());
        if (!InstantRange.contains(t)) {
            LOG.warnf("LinkedIn %s.occurredAt hint dropped: %s", where, node);
            return null;
        }
        return t;
    }

    /** A string field, trimmed; null when absent, null or blank; malformed when of another type. */
    private static String text(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new MalformedPayloadException(where + " must be a string, got " + node.getNodeType());
        }
        String s = node.textValue().trim();
        return s.isEmpty() ? null : s;
    }

    private static String shown(String s) {
        return s.length() > 80 ? s.length() + " characters" : "\"" + s + "\"";
    }

    private static JsonNode readTree(byte[] body, ObjectMapper json) {
        if (body == null || body.length == 0) {
            throw new MalformedPayloadException("LinkedIn webhook body is empty");
        }
        try {
            JsonNode root = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
            if (root == null || root.isMissingNode()) {
                throw new MalformedPayloadException("LinkedIn webhook body is empty");
            }
            return root;
        } catch (JacksonException e) {
            throw new MalformedPayloadException("LinkedIn webhook body is not valid JSON: " + e.getOriginalMessage(),
                    e);
        } catch (IOException e) {
            throw new MalformedPayloadException("LinkedIn webhook body could not be read", e);
        }
    }
}
