package com.leadsync.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.ops.DeadLetterQueues;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * {@code GET /admin/dlq} (each dead-letter queue's depth and its latest move) and
 * {@code POST /admin/dlq/{queue}/redrive} (its messages back to their queue): the admin key only, since a
 * dead-letter queue holds every account's messages.
 */
@ApplicationScoped
public class DeadLetterRoutes implements Routes {

    private final DeadLetterQueues deadLetters;

    DeadLetterRoutes(DeadLetterQueues deadLetters) {
        this.deadLetters = deadLetters;
    }

    @Override
    public void register(Router<RouteHandler> router) {
        router.add("GET", "/admin/dlq", this::list);
        router.add("POST", "/admin/dlq/{queue}/redrive", this::redrive);
    }

    HttpApiResponse list(Request req) {
        req.caller().requireAdmin("reading dead-letter queues");
        ObjectNode out = req.json().object();
        ArrayNode items = out.putArray("items");
        List<DeadLetterQueues.Depth> depths;
        try {
            depths = deadLetters.depths();
        } catch (DeadLetterQueues.Unavailable unreachable) {
            throw ApiError.unavailable(unreachable.getMessage());
        }
        for (DeadLetterQueues.Depth d : depths) {
            ObjectNode item = items.addObject().put("queue", d.queue()).put("deadLetterQueue", d.deadLetterQueue())
                    .put("messages", d.messages()).put("inFlight", d.inFlight());
            DeadLetterQueues.MoveTask t = d.moveTask();
            if (t == null) {
                item.putNull("moveTask");
            } else {
                item.putObject("moveTask").put("taskHandle", t.taskHandle()).put("status", t.status())
                        .put("moved", t.moved()).put("toMove", t.toMove()).put("failureReason", t.failureReason());
            }
        }
        return req.json().ok(200, out);
    }

    HttpApiResponse redrive(Request req) {
        req.caller().requireAdmin("redriving a dead-letter queue");
        String queue = req.param("queue");
        if (!DeadLetterQueues.QUEUES.contains(queue)) {
            throw ApiError.notFound("no dead-letter queue for '" + queue + "': one of " + DeadLetterQueues.QUEUES);
        }
        DeadLetterQueues.Redrive r;
        try {
            r = deadLetters.redrive(queue);
        } catch (DeadLetterQueues.MoveInProgress running) {
            throw ApiError.conflict(running.getMessage());
        } catch (DeadLetterQueues.Unavailable unreachable) {
            throw ApiError.unavailable(unreachable.getMessage());
        }
        ObjectNode out = req.json().object().put("queue", r.queue()).put("deadLetterQueue", r.deadLetterQueue())
                .put("messages", r.messages()).put("taskHandle", r.taskHandle());
        return req.json().ok(r.taskHandle() == null ? 200 : 202, out);
    }
}
