package com.leadsync.functions;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.delivery.DeliverMessage;
import com.leadsync.delivery.DeliveryEngine;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.io.IOException;

/** Lambda {@code deliver}: one deliver-queue record per call, failures reported per record. */
public class DeliverFunction {

    @Inject
    DeliveryEngine engine;
    @Inject
    ObjectMapper json;

    @Funq("deliver")
    public void deliver(SQSEvent.SQSMessage message) throws IOException {
        engine.deliver(json.readValue(message.getBody(), DeliverMessage.class), LeaseOwner.of(message));
    }
}
