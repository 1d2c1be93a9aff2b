package com.leadsync.delivery.hubspot;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * HubSpot's account details, for the portal's time zone: its daily API limit resets at midnight there (crm.md §A.1).
 * Same base URL as {@link HubSpotApi}.
 */
@RegisterRestClient(configKey = "hubspot")
@Path("/account-info/v3/details")
@Produces(MediaType.APPLICATION_JSON)
public interface HubSpotAccountApi {

    /** {@code {"portalId":…, "timeZone":"US/Eastern", …}}. */
    @GET
    Response details(@HeaderParam("Authorization") String bearer);
}
