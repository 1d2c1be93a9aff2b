package com.leadsync.source.meta;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The Graph API calls we make (providers.md §1.2). Base URL: {@code quarkus.rest-client.meta-graph.url}.
 * The token goes in the Authorization header so it never appears in a logged URL.
 */
@RegisterRestClient(configKey = "meta-graph")
@Produces(MediaType.APPLICATION_JSON)
public interface MetaGraphApi {

    @GET
    @Path("/{version}/{leadId}")
    Response lead(@PathParam("version") String version, @PathParam("leadId") String leadId,
            @QueryParam("fields") String fields, @HeaderParam("Authorization") String bearer);

    /** A page as its page token sees it: {@code fields=id,name} answers the page itself (contract §5). */
    @GET
    @Path("/{version}/{pageId}")
    Response page(@PathParam("version") String version, @PathParam("pageId") String pageId,
            @QueryParam("fields") String fields, @HeaderParam("Authorization") String bearer);

    /** The page's lead forms, {@code limit} at a time; {@code after} is the previous page's cursor. */
    @GET
    @Path("/{version}/{pageId}/leadgen_forms")
    Response leadgenForms(@PathParam("version") String version, @PathParam("pageId") String pageId,
            @QueryParam("fields") String fields, @QueryParam("limit") int limit, @QueryParam("after") String after,
            @HeaderParam("Authorization") String bearer);

    /** A form's leads, filtered by {@code filtering} (a JSON array, encoded by the client like any query value). */
    @GET
    @Path("/{version}/{formId}/leads")
    Response formLeads(@PathParam("version") String version, @PathParam("formId") String formId,
            @QueryParam("fields") String fields, @QueryParam("limit") int limit,
            @QueryParam("filtering") String filtering, @QueryParam("after") String after,
            @HeaderParam("Authorization") String bearer);

    /** The pages the user token's person can act on, with each page's token and the person's tasks on it. */
    @GET
    @Path("/{version}/me/accounts")
    Response accounts(@PathParam("version") String version, @QueryParam("fields") String fields,
            @QueryParam("limit") int limit, @QueryParam("after") String after,
            @HeaderParam("Authorization") String bearer);

    /** Subscribes this app to the page's webhook {@code subscribedFields} (providers.md §1.1), with the page token. */
    @POST
    @Path("/{version}/{pageId}/subscribed_apps")
    Response subscribeApp(@PathParam("version") String version, @PathParam("pageId") String pageId,
            @QueryParam("subscribed_fields") String subscribedFields, @HeaderParam("Authorization") String bearer);
}
