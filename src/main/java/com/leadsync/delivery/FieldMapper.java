package com.leadsync.delivery;

import com.leadsync.model.StoredLead;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Builds the flat field map a destination sends: its type's default mapping overlaid with the target's
 * {@code fieldMapping}. Sources are lead fields by contract name, {@code customFields.<name>} or
 * {@code rawFieldData.<name>}. A user entry replaces the default for the same source, and when two sources
 * land on the same CRM field the user's entry wins if it has a value; an entry mapped to a blank CRM field drops that source (the only way to
 * stop a default from being sent). Null values are never sent, so a CRM keeps what it already has.
 */
public final class FieldMapper {

    public static final String CUSTOM_PREFIX = "customFields.";
    public static final String RAW_PREFIX = "rawFieldData.";

    // Insertion-ordered so the documented list in error messages reads like the contract.
    private static final Map<String, Function<StoredLead, String>> LEAD_FIELDS = new LinkedHashMap<>();

    static {
        LEAD_FIELDS.put("email", StoredLead::email);
        LEAD_FIELDS.put("firstName", StoredLead::firstName);
        LEAD_FIELDS.put("lastName", StoredLead::lastName);
        LEAD_FIELDS.put("fullName", StoredLead::fullName);
        LEAD_FIELDS.put("phoneNumber", StoredLead::phoneNumber);
        LEAD_FIELDS.put("company", StoredLead::company);
        LEAD_FIELDS.put("providerType", l -> l.providerType() == null ? null : l.providerType().wireName());
        LEAD_FIELDS.put("providerLeadId", StoredLead::providerLeadId);
        LEAD_FIELDS.put("leadId", StoredLead::leadId);
        LEAD_FIELDS.put("formId", StoredLead::formId);
        LEAD_FIELDS.put("adId", StoredLead::adId);
        LEAD_FIELDS.put("campaignId", StoredLead::campaignId);
        LEAD_FIELDS.put("receivedAt", l -> l.receivedAt() == null ? null : l.receivedAt().toString());
    }

    private final Map<String, String> defaults;

    /** @param defaults source field → destination field used when the target's fieldMapping says nothing */
    public FieldMapper(Map<String, String> defaults) {
        this.defaults = new LinkedHashMap<>(defaults);
        List<String> problems = validate(defaults);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("bad default mapping: " + problems);
        }
    }

    /** The lead field names a mapping may use besides the customFields./rawFieldData. prefixes. */
    public static Set<String> leadFields() {
        return LEAD_FIELDS.keySet();
    }

    /** Destination field → value for this lead, defaults first, then the target's own entries. */
    public Map<String, String> map(StoredLead lead, Map<String, String> fieldMapping) {
        Map<String, String> effective = new LinkedHashMap<>(defaults);
        // Sorted so that, should two user entries still collide, the outcome does not depend on map order.
        Map<String, String> overrides = new TreeMap<>(fieldMapping == null ? Map.of() : fieldMapping);
        overrides.keySet().forEach(effective::remove);

        Map<String, String> out = new LinkedHashMap<>();
        effective.forEach((source, target) -> put(out, target, read(lead, source)));
        overrides.forEach((source, target) -> put(out, target, read(lead, source)));
        return out;
    }

    /**
     * The destination fields {@link #map} may write for a target (each when the lead has a value): what a
     * destination's check looks up in the CRM's metadata.
     */
    public Set<String> targets(Map<String, String> fieldMapping) {
        Map<String, String> effective = new LinkedHashMap<>(defaults);
        Map<String, String> overrides = fieldMapping == null ? Map.of() : fieldMapping;
        overrides.keySet().forEach(effective::remove);
        effective.putAll(overrides);
        Set<String> out = new LinkedHashSet<>();
        effective.values().stream().filter(t -> t != null && !t.isBlank()).forEach(t -> out.add(t.trim()));
        return out;
    }

    /** Problems with a target's fieldMapping, as sentences; empty when every source is known. */
    public static List<String> validate(Map<String, String> fieldMapping) {
        List<String> problems = new ArrayList<>();
        if (fieldMapping == null) {
            return problems;
        }
        Map<String, String> seenTargets = new HashMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(fieldMapping).entrySet()) {
            String source = e.getKey();
            if (!isKnownSource(source)) {
                problems.add("fieldMapping: unknown lead field '" + source + "'; use one of "
                        + String.join(", ", LEAD_FIELDS.keySet()) + ", " + CUSTOM_PREFIX + "<name> or "
                        + RAW_PREFIX + "<name>");
            }
            String target = e.getValue() == null ? "" : e.getValue().trim();
            if (!target.isEmpty()) {
                String earlier = seenTargets.putIfAbsent(target, source);
                if (earlier != null) {
                    problems.add("fieldMapping: '" + earlier + "' and '" + source + "' both map to '" + target + "'");
                }
            }
        }
        return problems;
    }

    private static boolean isKnownSource(String source) {
        if (source == null) {
            return false;
        }
        if (LEAD_FIELDS.containsKey(source)) {
            return true;
        }
        return (source.startsWith(CUSTOM_PREFIX) && source.length() > CUSTOM_PREFIX.length())
                || (source.startsWith(RAW_PREFIX) && source.length() > RAW_PREFIX.length());
    }

    private static String read(StoredLead lead, String source) {
        Function<StoredLead, String> getter = LEAD_FIELDS.get(source);
        if (getter != null) {
            return getter.apply(lead);
        }
        if (source.startsWith(CUSTOM_PREFIX)) {
            return lead.customFields().get(source.substring(CUSTOM_PREFIX.length()));
        }
        if (source.startsWith(RAW_PREFIX)) {
            return lead.rawFieldData().get(source.substring(RAW_PREFIX.length()));
        }
        // validate() reports these on write; a stale mapping must not fail a delivery, so it sends nothing.
        return null;
    }

    private static void put(Map<String, String> out, String target, String value) {
        if (target == null || target.isBlank() || value == null) {
            return;
        }
        out.put(target.trim(), value);
    }
}
