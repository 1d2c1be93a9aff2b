package com.leadsync.ingest;

import com.leadsync.model.ProviderType;
import com.leadsync.ops.LogContext;
import com.leadsync.ops.Metrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Leads just put on the ingest queue, whichever path found them: counted ({@code LeadsReceived} per provider) and,
 * where each is news, logged one line per lead with its ids, where its trace starts.
 */
@ApplicationScoped
public class ReceivedLeads {

    private static final Logger LOG = Logger.getLogger(ReceivedLeads.class);

    private final Metrics metrics;

    ReceivedLeads(Metrics metrics) {
        this.metrics = metrics;
    }

    /**
     * {@code logEach} false for polls: overlapping polls list most leads several times, so their lines would
     * drown the rest; a new one's trace shows where it is stored.
     */
    public void queued(List<IngestMessage> messages, boolean logEach) {
        Map<ProviderType, Integer> byProvider = new EnumMap<>(ProviderType.class);
        for (IngestMessage m : messages) {
            byProvider.merge(m.providerType(), 1, Integer::sum);
            if (logEach) {
                try (LogContext log = LogContext.lead(m.accountId(), m.providerType().wireName(), m.leadId(),
                        m.traceId())) {
                    LOG.infof("%s lead %s received (via %s) and queued", m.providerType().wireName(),
                            m.providerLeadId(), m.via());
                }
            }
        }
        byProvider.forEach((type, n) -> metrics.count(Metrics.LEADS_RECEIVED, n, Metrics.PROVIDER_TYPE,
                type.wireName()));
    }
}
