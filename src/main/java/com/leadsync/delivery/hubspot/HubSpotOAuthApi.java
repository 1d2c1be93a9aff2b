package com.leadsync.delivery.hubspot;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * HubSpot's OAuth token endpoint (crm.md §A.1). Base URL: {@code quarkus.rest-client.hubspot-oauth.url}
 * (https://api.hubapi.com, the API's own host). Returns the raw {@link Response}: the refresher classifies it.
 */
@RegisterRestClient(configKey = "hubspot-oauth")
@Produces(MediaType.APPLICATION_JSON)
public interface HubSpotOAuthApi {

    @POST
    @Path("/oauth/v1/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    Response token(@FormParam("grant_type") String grantType, @FormParam("client_id") String clientId,
            @FormParam("client_secret") String clientSecret, @FormParam("refresh_token") String refreshToken);
}
