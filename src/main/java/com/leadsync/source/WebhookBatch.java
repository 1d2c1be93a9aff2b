package com.leadsync.source;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The entries of one webhook batch, read one at a time. A batch may carry many leads of several accounts (TikTok up
 * to 1000), and a provider retries a refused batch whole (TikTok for 24 hours, Meta for 36) and then drops it, good
 * leads included: so an entry that is malformed is logged and skipped, and the others are kept. A batch is refused
 * ({@link MalformedPayloadException}, 400) only when not one of its entries could be read: like a broken envelope,
 * that is a body not of the provider's shape at all, and nothing of it is lost by refusing it.
 */
public final class WebhookBatch {

    private static final Logger LOG = Logger.getLogger(WebhookBatch.class);
    /** Reasons quoted in the log line of one batch; the count says how many there were. */
    private static final int LOGGED_REASONS = 10;

    private final String provider;
    private final List<LeadNotice> notices = new ArrayList<>();
    private final List<MalformedPayloadException> malformed = new ArrayList<>();
    private int entries;

    /** {@code provider} names the platform in the log ("TikTok"). */
    public WebhookBatch(String provider) {
        this.provider = provider;
    }

    /**
     * One entry: {@code read} gives its notice, or null when it is well-formed but no lead of ours; when it throws
     * {@link MalformedPayloadException} (whose message names the entry) the entry is skipped.
     */
    public void entry(Supplier<LeadNotice> read) {
        entries++;
        LeadNotice notice;
        try {
            notice = read.get();
        } catch (MalformedPayloadException e) {
            malformed.add(e);
            return;
        }
        if (notice != null) {
            notices.add(notice);
        }
    }

    /** An entry found malformed before it could be read as one (e.g. not an object). */
    public void malformed(MalformedPayloadException e) {
        entries++;
        malformed.add(e);
    }

    /**
     * The notices of the readable entries, in payload order; the malformed ones skipped are logged.
     *
     * @throws MalformedPayloadException naming the first broken entry, when every entry of the batch was malformed
     */
    public List<LeadNotice> notices() {
        if (malformed.isEmpty()) {
            return notices;
        }
        MalformedPayloadException first = malformed.get(0);
        if (malformed.size() == entries) {
            throw new MalformedPayloadException(first.getMessage() + (entries > 1
                    ? " (and the batch's " + (entries - 1) + " other entries are malformed too)" : ""), first);
        }
        // The parsers' messages name the entry ("entry[3]") and the field, quoting at most a short id: never an answer.
        List<String> reasons = malformed.stream().limit(LOGGED_REASONS).map(Throwable::getMessage).toList();
        LOG.warnf("%s webhook: %d of %d entries malformed and skipped, the rest kept: %s%s", provider, malformed.size(),
                entries, String.join("; ", reasons), malformed.size() > LOGGED_REASONS ? "; ..." : "");
        return notices;
    }
}
