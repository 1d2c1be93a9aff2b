package com.leadsync.source.tiktok;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The TikTok API for Business v1.3 calls we make (providers.md §4). Base URL: {@code quarkus.rest-client.tiktok.url},
 * the {@code open_api} root. The token goes in {@code Access-Token} (TikTok's header, not Authorization), so it never
 * appears in a logged URL. A null {@code x-lead-region} sends no such header: the rest-of-world data region.
 */
@RegisterRestClient(configKey = "tiktok")
@Path("/v1.3")
public interface TikTokApi {

    /** {@code advertiser_ids} is a JSON array of id strings, e.g. {@code ["7012345678901234567"]}. */
    @GET
    @Path("/advertiser/info/")
    @Produces(MediaType.APPLICATION_JSON)
    Response advertiserInfo(@QueryParam("advertiser_ids") String advertiserIds,
            @HeaderParam("Access-Token") String token);

    /** The advertiser's instant forms ("pages"), one page of them; {@code businessType} LEAD_GEN for lead forms. */
    @GET
    @Path("/page/get/")
    @Produces(MediaType.APPLICATION_JSON)
    Response pages(@QueryParam("advertiser_id") String advertiserId, @QueryParam("business_type") String businessType,
            @QueryParam("page") int page, @QueryParam("page_size") int pageSize,
            @HeaderParam("Access-Token") String token);

    /** Creates a lead download task ({@code advertiser_id}, {@code page_id}), or polls one when the body has {@code task_id}. */
    @POST
    @Path("/page/lead/task/")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response leadTask(JsonNode body, @HeaderParam("x-lead-region") String region,
            @HeaderParam("Access-Token") String token);

    /**
     * The finished task's file: CSV, zip when over 10 MB, or a JSON error envelope. A {@link Response} is streamed by
     * the REST client (not buffered), so the caller reads it with {@code readEntity(InputStream.class)} and closes it.
     */
    @GET
    @Path("/page/lead/task/download/")
    @Produces(MediaType.WILDCARD)
    Response download(@QueryParam("advertiser_id") String advertiserId, @QueryParam("task_id") String taskId,
            @HeaderParam("x-lead-region") String region, @HeaderParam("Access-Token") String token);
}
