package com.leadsync.functions;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.ingest.IngestMessage;
import com.leadsync.ingest.LeadIngestion;
import com.leadsync.ingest.UnroutedLeads;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.io.IOException;

/**
 * Lambda {@code normalize}: one ingest-queue record per call (Funqy reports a thrown exception as that
 * record's batch item failure, so only it is redelivered).
 */
public class NormalizeFunction {

    @Inject
    LeadIngestion ingestion;
    @Inject
    UnroutedLeads unrouted;
    @Inject
    ObjectMapper json;

    @Funq("normalize")
    public void normalize(SQSEvent.SQSMessage message) throws IOException {
        IngestMessage m = json.readValue(message.getBody(), IngestMessage.class);
        if (UnroutedLeads.isContinuation(m)) {
            unrouted.resume(m);
            return;
        }
        ingestion.process(m, LeaseOwner.of(message));
    }
}
