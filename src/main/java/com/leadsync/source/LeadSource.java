package com.leadsync.source;

import com.leadsync.connect.Connection;
import com.leadsync.lead.NormalizedLead;
import com.leadsync.lead.ProviderType;
import java.util.List;
import java.util.Optional;

/**
 * The extension point for an ad platform. An implementation is one package under {@code source/}
 * and the only code that knows that platform's wire formats.
 */
public interface LeadSource {

    ProviderType type();

    /** Answers the provider's subscription handshake (GET); empty means refuse (403). */
    Optional<String> handshake(WebhookRequest request);

    /** Checks the provider's own authentication of a webhook call over the raw body. */
    boolean verify(WebhookRequest request);

    /** Parses a verified webhook body into one notice per lead; throws {@link MalformedPayloadException}. */
    List<LeadNotice> parse(WebhookRequest request);

    /** Fetches the full lead from the provider's API; throws {@link ProviderCallException}. */
    ProviderLead fetch(Connection connection, LeadNotice notice);

    /** Turns the provider's lead into the normalized contract shape. */
    NormalizedLead map(ProviderLead lead, MappingContext context);

    /** One page of a form's leads, for polling and bulk import; throws {@link ProviderCallException}. */
    LeadPage page(Connection connection, PageRequest request);
}
