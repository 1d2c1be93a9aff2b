package com.leadsync.delivery;

import java.util.List;

/** The deliver queue, as delivery needs it (implemented in {@code queue/}). */
public interface DeliveryQueue {

    void publishDeliver(List<DeliverMessage> messages);
}
