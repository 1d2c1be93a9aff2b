package com.leadsync.source;

import com.leadsync.model.Connection;
import com.leadsync.model.ProviderType;
import java.util.Optional;

/**
 * The capability to list a connection's leads page by page, for polling and bulk import. The provider
 * decides what a page is and how to find the next one ({@link LeadPage#nextPosition()}: a cursor, an
 * offset, a form index and a download task, ...); the walker persists that position after each page, so
 * a walk resumes where it stopped after a crash. A page is bounded, never the whole listing.
 */
public interface LeadLister {

    ProviderType type();

    /**
     * What is wrong with {@code formId} as this platform's form id (an import names one), or empty when it is
     * well-formed. Whether the form exists only the platform can tell, on the first page.
     */
    default Optional<String> formIdProblem(String formId) {
        return formId == null || formId.isBlank() ? Optional.of("a form id is required") : Optional.empty();
    }

    /** One page; throws {@code ProviderCallException}. */
    LeadPage page(Connection connection, ListRequest request);
}
