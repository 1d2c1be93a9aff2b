package com.leadsync.source.meta;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * Where a walk over a page's leads stands, persisted between steps as small JSON. {@code form} null: the next
 * step lists forms (from {@code formsAfter}, null for the first forms page). Otherwise the next step lists
 * {@code form}'s leads from {@code leadsAfter}; {@code nextForms} are the rest of the current forms page and
 * {@code formsAfter} the cursor of the next forms page (null: none).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_EMPTY)
record MetaListPosition(String form, String leadsAfter, List<String> nextForms, String formsAfter) {

    MetaListPosition {
        nextForms = nextForms == null ? List.of() : List.copyOf(nextForms);
    }

    /** The first step: every form of the page, or only {@code formId}. */
    static MetaListPosition start(String formId) {
        return new MetaListPosition(formId, null, List.of(), null);
    }

    /** List the forms page at {@code after}. */
    static MetaListPosition forms(String after) {
        return new MetaListPosition(null, null, List.of(), after);
    }

    MetaListPosition withLeadsAfter(String cursor) {
        return new MetaListPosition(form, cursor, nextForms, formsAfter);
    }

    String write(ObjectMapper json) {
        try {
            return json.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a Meta list position", e);
        }
    }

    static MetaListPosition read(ObjectMapper json, String position) {
        try {
            return json.readValue(position, MetaListPosition.class);
        } catch (JsonProcessingException e) {
            throw MetaLeadLister.unreadablePosition(position, e);
        }
    }
}
