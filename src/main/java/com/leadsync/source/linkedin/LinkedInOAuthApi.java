package com.leadsync.source.linkedin;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * LinkedIn's OAuth 2.0 token endpoint (providers.md §3.5). Base URL:
 * {@code quarkus.rest-client.linkedin-oauth.url} ({@code https://www.linkedin.com}).
 */
@RegisterRestClient(configKey = "linkedin-oauth")
public interface LinkedInOAuthApi {

    @POST
    @Path("/oauth/v2/accessToken")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    Response refresh(@FormParam("grant_type") String grantType, @FormParam("refresh_token") String refreshToken,
            @FormParam("client_id") String clientId, @FormParam("client_secret") String clientSecret);
}
