package com.leadsync.functions;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.imports.ImportMessage;
import com.leadsync.imports.ImportWorker;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.io.IOException;

/** Lambda {@code import}: one import-queue record per call, one page of one import job. */
public class ImportFunction {

    @Inject
    ImportWorker worker;
    @Inject
    ObjectMapper json;

    @Funq("import")
    public void importPage(SQSEvent.SQSMessage message) throws IOException {
        worker.handle(json.readValue(message.getBody(), ImportMessage.class), LeaseOwner.of(message));
    }
}
