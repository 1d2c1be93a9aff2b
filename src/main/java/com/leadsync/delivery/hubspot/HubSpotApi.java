package com.leadsync.delivery.hubspot;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * HubSpot CRM v3 contacts, just the calls we need: the upsert, and the property list the test route checks a mapping
 * against. Base URL: {@code quarkus.rest-client.hubspot.url}
 * (https://api.hubapi.com). Returns the raw {@link Response} so the destination classifies every status itself.
 */
@RegisterRestClient(configKey = "hubspot")
@Path("/crm/v3")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface HubSpotApi {

    /** Creates or updates contacts matched on {@code idProperty} (email or a unique-value property). */
    @POST
    @Path("/objects/contacts/batch/upsert")
    Response batchUpsert(@HeaderParam("Authorization") String bearer, UpsertRequest body);

    /** The contact properties, {@code {"results":[{"name":"email",...}]}}: a read, it changes nothing. */
    @GET
    @Path("/properties/contacts")
    Response contactProperties(@HeaderParam("Authorization") String bearer);

    @RegisterForReflection
    record UpsertRequest(List<UpsertInput> inputs) {
    }

    /** {@code objectWriteTraceId} ties HubSpot's per-input errors and audit entries to our delivery. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record UpsertInput(String idProperty, String id, Map<String, String> properties, String objectWriteTraceId) {
    }
}
