package com.leadsync.flow;

import java.util.List;
import java.util.Map;

/** One step of a flow, as validated on write (contract §8); {@code type} is its wire name. */
public sealed interface Step {

    String type();

    /** Stops the flow (outcome {@code filtered}) unless the conditions match. */
    record Filter(List<Condition> conditions, Match match) implements Step {
        public Filter {
            conditions = List.copyOf(conditions);
        }

        public String type() {
            return "filter";
        }
    }

    /** {@code then} when the conditions match, else {@code otherwise} (the wire's {@code else}). */
    record Branch(List<Condition> conditions, Match match, List<Step> then, List<Step> otherwise) implements Step {
        public Branch {
            conditions = List.copyOf(conditions);
            then = List.copyOf(then);
            otherwise = List.copyOf(otherwise);
        }

        public String type() {
            return "branch";
        }
    }

    /** Sets a field of the flow's copy of the lead to {@code value}, its {@code {{field}}} placeholders filled in. */
    record Set(FieldRef field, Template value) implements Step {
        public String type() {
            return "set";
        }
    }

    /** Rewrites a field of the flow's copy of the lead. */
    record Format(FieldRef field, TextFormat format) implements Step {
        public String type() {
            return "format";
        }
    }

    /**
     * Sends the flow's copy of the lead to one of the account's destinations; {@code fieldMapping} (null: the
     * destination's own) replaces the destination's for this send.
     */
    record Deliver(String destinationId, Map<String, String> fieldMapping) implements Step {
        public Deliver {
            fieldMapping = fieldMapping == null ? null : Map.copyOf(fieldMapping);
        }

        public String type() {
            return "deliver";
        }
    }

    /** Posts the flow's copy of the lead to {@code url} as a forwarded event, signed when {@code secret} is set. */
    record Webhook(String url, String secret) implements Step {
        public String type() {
            return "webhook";
        }

        @Override
        public String toString() {
            return "Webhook[" + url + (secret == null ? "" : ", secret set") + "]";
        }
    }

    /** Ends the flow here, {@code completed}. */
    record Stop() implements Step {
        public String type() {
            return "stop";
        }
    }

    /** How a list of conditions combines. */
    enum Match {
        ALL, ANY;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
