package com.leadsync.source.google;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The Google Ads API calls we make (providers.md §2.2): {@code googleAds:search} with a GAQL query. Base URL:
 * {@code quarkus.rest-client.google-ads.url}. A null {@code login-customer-id} is not sent (direct access).
 */
@RegisterRestClient(configKey = "google-ads")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface GoogleAdsApi {

    /** {@code body} is {@code {"query": ..., "pageToken"?: ...}}; there is no page size (fixed at 10,000 rows). */
    @POST
    @Path("/{version}/customers/{customerId}/googleAds:search")
    Response search(@PathParam("version") String version, @PathParam("customerId") String customerId,
            @HeaderParam("Authorization") String bearer, @HeaderParam("developer-token") String developerToken,
            @HeaderParam("login-customer-id") String loginCustomerId, String body);

    /** The customers the OAuth user reaches directly (OAuth connect); no login-customer-id. */
    @GET
    @Path("/{version}/customers:listAccessibleCustomers")
    Response listAccessibleCustomers(@PathParam("version") String version,
            @HeaderParam("Authorization") String bearer, @HeaderParam("developer-token") String developerToken);
}
