package com.leadsync.imports;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.leadsync.event.Event;
import com.leadsync.event.EventSink;
import com.leadsync.event.EventTypes;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/** {@code import.completed} and {@code import.failed}: the ended job, as {@code GET /imports/{id}} shows it. */
@ApplicationScoped
public class ImportEvents {

    private final EventSink sink;
    private final Clock clock;

    ImportEvents(EventSink sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    /** Tells the subscriptions that asked that {@code job} ended; a cancelled or open job tells nothing. */
    public void ended(ImportJob job) {
        String type = switch (job.status()) {
            case COMPLETED -> EventTypes.IMPORT_COMPLETED;
            case FAILED -> EventTypes.IMPORT_FAILED;
            default -> null;
        };
        if (type == null) {
            return;
        }
        sink.emit(new Event(Event.idFor(type, job.jobId()), job.accountId(), type, job.providerType(),
                job.completedAt() != null ? job.completedAt() : clock.instant(),
                ImportJobJson.write(JsonNodeFactory.instance.objectNode(), job)));
    }
}
