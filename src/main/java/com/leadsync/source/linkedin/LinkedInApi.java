package com.leadsync.source.linkedin;

import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The LinkedIn Marketing API calls we make (providers.md §3.1, §3.3). Base URL:
 * {@code quarkus.rest-client.linkedin.url}. The token goes in the Authorization header, never in a URL.
 *
 * <p>Every path and query value is {@link Encoded}: Rest.li 2.0 wants the URNs inside {@code (...)}
 * percent-encoded and the parentheses, commas and colons of its own syntax literal, which no generic
 * encoder produces. {@link LinkedInUrns} builds each value exactly as it must appear on the wire; without
 * {@code @Encoded} the client would turn {@code %3A} into {@code %253A} (LinkedIn answers 400).
 */
@RegisterRestClient(configKey = "linkedin")
@Produces(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "X-Restli-Protocol-Version", value = "2.0.0")
public interface LinkedInApi {

    /** The ad account the token can see (contract §5's connection check). */
    @GET
    @Path("/rest/adAccounts/{id}")
    Response adAccount(@PathParam("id") @Encoded String accountId,
            @HeaderParam("Authorization") String bearer, @HeaderParam("LinkedIn-Version") String version);

    /** One lead by its (url-encoded) response id, with the {@code form:(...)} projection. */
    @GET
    @Path("/rest/leadFormResponses/{id}")
    Response leadFormResponse(@PathParam("id") @Encoded String encodedId, @QueryParam("fields") @Encoded String fields,
            @HeaderParam("Authorization") String bearer, @HeaderParam("LinkedIn-Version") String version);

    /** One page of an owner's leads ({@code q=owner}); {@code formFilter} may be null (no filter). */
    @GET
    @Path("/rest/leadFormResponses")
    @Encoded
    Response leadFormResponses(@QueryParam("q") String q, @QueryParam("owner") String owner,
            @QueryParam("leadType") String leadType, @QueryParam("limitedToTestLeads") String limitedToTestLeads,
            @QueryParam("submittedAtTimeRange") String submittedAtTimeRange,
            @QueryParam("versionedLeadGenFormUrn") String formFilter, @QueryParam("fields") String fields,
            @QueryParam("start") int start, @QueryParam("count") int count,
            @HeaderParam("Authorization") String bearer, @HeaderParam("LinkedIn-Version") String version);

    /** A lead form with its questions, hidden fields and consents. */
    @GET
    @Path("/rest/leadForms/{formId}")
    Response leadForm(@PathParam("formId") @Encoded String formId,
            @HeaderParam("Authorization") String bearer, @HeaderParam("LinkedIn-Version") String version);

    /**
     * The ad accounts the token's member has a role on ({@code q=authenticatedUser}, OAuth connect), one page in the
     * list wrapper {@code {"paging", "elements": [{"account": "urn:li:sponsoredAccount:…", "role", "user"}]}}.
     */
    @GET
    @Path("/rest/adAccountUsers")
    Response adAccountUsers(@QueryParam("q") String q, @QueryParam("start") int start, @QueryParam("count") int count,
            @HeaderParam("Authorization") String bearer, @HeaderParam("LinkedIn-Version") String version);
}
