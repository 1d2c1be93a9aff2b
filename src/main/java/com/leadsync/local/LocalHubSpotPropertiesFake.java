package com.leadsync.local;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * Local mode's HubSpot contact property list, {@code GET /_local/hubspot/crm/v3/properties/contacts} (what the
 * destination test route reads, crm.md §A.1), in HubSpot's shape {@code {"results":[{"name","label","type",
 * "fieldType","groupName"}]}}: the default properties of a new portal that a mapping most often writes, plus
 * {@code leadsync_lead_id} for a {@code leadIdProperty}. A read: nothing is recorded in a sink.
 */
@ApplicationScoped
public class LocalHubSpotPropertiesFake {

    static final List<String> PROPERTIES = List.of("email", "firstname", "lastname", "phone", "mobilephone",
            "company", "jobtitle", "website", "address", "city", "state", "zip", "country", "lifecyclestage",
            "hs_lead_status", "leadsync_lead_id");

    void routes(@Observes Router router) {
        router.get("/_local/hubspot/crm/v3/properties/contacts").order(-199).handler(ctx -> {
            JsonArray results = new JsonArray();
            PROPERTIES.forEach(name -> results.add(new JsonObject().put("name", name).put("label", name)
                    .put("type", "string").put("fieldType", "text").put("groupName", "contactinformation")
                    .put("hidden", false).put("archived", false)));
            ctx.response().putHeader("content-type", "application/json")
                    .end(new JsonObject().put("results", results).encode());
        });
    }
}
