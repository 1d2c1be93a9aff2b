package com.leadsync.functions;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.poll.PollMessage;
import com.leadsync.poll.PollWorker;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.io.IOException;

/** Lambda {@code poll}: one poll-queue record per call (a connection's poll, its continuation, or the schedule's scan). */
public class PollFunction {

    @Inject
    PollWorker worker;
    @Inject
    ObjectMapper json;

    @Funq("poll")
    public void poll(SQSEvent.SQSMessage message) throws IOException {
        worker.handle(json.readValue(message.getBody(), PollMessage.class), LeaseOwner.of(message));
    }
}
