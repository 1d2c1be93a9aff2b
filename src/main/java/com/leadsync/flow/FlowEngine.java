package com.leadsync.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadsync.lead.FieldNormalizer;
import com.leadsync.model.StoredLead;
import java.math.BigDecimal;
import java.text.Normalizer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a flow on a lead: a pure function (no I/O), so the test route and the real run agree by construction.
 *
 * <p>Semantics:
 * <ul>
 * <li>Field values: lead fields as text ({@code providerType} its wire name, {@code receivedAt} an ISO-8601
 * instant); missing or blank = absent. {@code customFields.x} / {@code rawFieldData.x} by key.</li>
 * <li>Text comparisons ({@code equals, not_equals, contains, starts_with, ends_with, in}) are case-insensitive
 * after Unicode NFC normalization (Locale.ROOT lower-casing); when both sides parse as numbers they compare
 * numerically (BigDecimal: "5" equals 5.0).</li>
 * <li>{@code matches}: RE2/J {@code find()} on the value as given (add {@code (?i)} for case-insensitivity).</li>
 * <li>{@code exists}: present and not blank; {@code not_exists} the opposite.</li>
 * <li>{@code gt}/{@code lt}: numeric when both are numbers, else as instants when both parse as ISO-8601 instants
 * or dates (yyyy-MM-dd = start of that day UTC), else false.</li>
 * <li>Any op on an absent field is false, except {@code not_exists} and {@code not_equals} (true).</li>
 * <li>{@code set} fills {@code {{field}}} from the current copy (earlier steps' changes visible; absent = "");
 * setting a lead field to "" clears it.</li>
 * <li>{@code format} on an absent field, or {@code e164} on something that is not a phone number: {@code unchanged}.</li>
 * <li>Outcome: {@code filtered} when a filter fails (nothing after it runs), {@code completed} otherwise ({@code stop}
 * included), {@code failed} only when evaluation throws; actions gathered before the failure stay.</li>
 * </ul>
 */
public final class FlowEngine {

    private FlowEngine() {
    }

    public static FlowResult run(Flow flow, StoredLead lead, String phoneRegion) {
        Run run = new Run(lead, phoneRegion);
        FlowResult.Outcome outcome;
        try {
            outcome = run.walk(flow.steps(), "steps") == End.FILTERED ? FlowResult.Outcome.FILTERED
                    : FlowResult.Outcome.COMPLETED;
        } catch (Failed f) {
            outcome = FlowResult.Outcome.FAILED;
        }
        return new FlowResult(outcome, run.taken, run.actions, run.lead);
    }

    private enum End { GO_ON, STOPPED, FILTERED }

    /** Carries the step's failure out of the walk once it is recorded. */
    private static final class Failed extends RuntimeException {
        Failed() {
            super(null, null, false, false);
        }
    }

    private static final class Run {
        StoredLead lead;
        final String phoneRegion;
        final List<StepTaken> taken = new ArrayList<>();
        final List<FlowAction> actions = new ArrayList<>();

        Run(StoredLead lead, String phoneRegion) {
            this.lead = lead;
            this.phoneRegion = phoneRegion;
        }

        End walk(List<Step> steps, String prefix) {
            for (int i = 0; i < steps.size(); i++) {
                String path = prefix + "[" + i + "]";
                Step step = steps.get(i);
                End end;
                try {
                    end = step(step, path);
                } catch (Failed f) {
                    throw f;
                } catch (RuntimeException e) {
                    taken.add(new StepTaken(path, step.type(), "failed", String.valueOf(e.getMessage())));
                    throw new Failed();
                }
                if (end != End.GO_ON) {
                    return end;
                }
            }
            return End.GO_ON;
        }

        End step(Step step, String path) {
            // Java 17: no pattern-matching switch, so instanceof in the order of the sealed interface.
            if (step instanceof Step.Filter f) {
                boolean ok = matches(f.conditions(), f.match());
                taken.add(new StepTaken(path, f.type(), ok ? "passed" : "filtered", null));
                return ok ? End.GO_ON : End.FILTERED;
            }
            if (step instanceof Step.Branch b) {
                boolean ok = matches(b.conditions(), b.match());
                taken.add(new StepTaken(path, b.type(), ok ? "then" : "else", null));
                return ok ? walk(b.then(), path + ".then") : walk(b.otherwise(), path + ".else");
            }
            if (step instanceof Step.Set s) {
                lead = with(lead, s.field(), fill(s.value()));
                taken.add(new StepTaken(path, s.type(), "set", null));
                return End.GO_ON;
            }
            if (step instanceof Step.Format f) {
                format(f, path);
                return End.GO_ON;
            }
            if (step instanceof Step.Deliver d) {
                actions.add(FlowAction.deliver(path, d.destinationId(), d.fieldMapping()));
                taken.add(new StepTaken(path, d.type(), "queued", null));
                return End.GO_ON;
            }
            if (step instanceof Step.Webhook w) {
                actions.add(FlowAction.webhook(path, w.url()));
                taken.add(new StepTaken(path, w.type(), "queued", null));
                return End.GO_ON;
            }
            if (step instanceof Step.Stop s) {
                taken.add(new StepTaken(path, s.type(), "stopped", null));
                return End.STOPPED;
            }
            throw new IllegalStateException("unknown step type " + step.type());
        }

        void format(Step.Format f, String path) {
            String before = value(lead, f.field());
            if (before == null) {
                taken.add(new StepTaken(path, f.type(), "unchanged", "the field is empty"));
                return;
            }
            String after = switch (f.format()) {
                case TRIM -> before.trim();
                case LOWER -> before.toLowerCase(Locale.ROOT);
                case UPPER -> before.toUpperCase(Locale.ROOT);
                case TITLE -> title(before);
                case DIGITS -> digits(before);
                case E164 -> {
                    String p = FieldNormalizer.phone(before, null, phoneRegion);
                    yield isE164(p) ? p : null; // FieldNormalizer falls back to raw digits: not a number then
                }
            };
            if (after == null) {
                taken.add(new StepTaken(path, f.type(), "unchanged", "not a phone number: " + before));
                return;
            }
            if (after.equals(before)) {
                taken.add(new StepTaken(path, f.type(), "unchanged", "already " + f.format().wireName()));
                return;
            }
            lead = with(lead, f.field(), after);
            taken.add(new StepTaken(path, f.type(), "formatted", null));
        }

        boolean matches(List<Condition> conditions, Step.Match match) {
            for (Condition c : conditions) {
                boolean ok = test(c, value(lead, c.field()));
                if (match == Step.Match.ANY && ok) {
                    return true;
                }
                if (match == Step.Match.ALL && !ok) {
                    return false;
                }
            }
            return match == Step.Match.ALL;
        }

        String fill(Template t) {
            StringBuilder sb = new StringBuilder();
            for (Template.Part p : t.parts()) {
                if (p instanceof Template.Literal l) {
                    sb.append(l.text());
                } else if (p instanceof Template.Placeholder ph) {
                    String v = value(lead, ph.field());
                    sb.append(v == null ? "" : v);
                }
            }
            return sb.toString();
        }
    }

    private static final com.google.re2j.Pattern E164 = com.google.re2j.Pattern.compile("^\\+[1-9][0-9]{6,14}$");

    /** True when {@code p} is a valid number written in E.164 (not FieldNormalizer's digits-only fallback). */
    private static boolean isE164(String p) {
        if (p == null || !E164.matcher(p).matches()) {
            return false;
        }
        try {
            var util = com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance();
            return util.isValidNumber(util.parse(p, "ZZ"));
        } catch (com.google.i18n.phonenumbers.NumberParseException e) {
            return false;
        }
    }

    static boolean test(Condition c, String value) {
        Op op = c.op();
        if (value == null) {
            return op == Op.NOT_EXISTS || op == Op.NOT_EQUALS;
        }
        JsonNode given = c.value();
        return switch (op) {
            case EXISTS -> true;
            case NOT_EXISTS -> false;
            case EQUALS -> same(value, given);
            case NOT_EQUALS -> !same(value, given);
            case CONTAINS -> fold(value).contains(fold(text(given)));
            case STARTS_WITH -> fold(value).startsWith(fold(text(given)));
            case ENDS_WITH -> fold(value).endsWith(fold(text(given)));
            case IN -> {
                for (JsonNode g : given) {
                    if (same(value, g)) {
                        yield true;
                    }
                }
                yield false;
            }
            case MATCHES -> (c.pattern() != null ? c.pattern() : com.google.re2j.Pattern.compile(text(given)))
                    .matcher(value).find();
            case GT -> compare(value, text(given)) == 1;
            case LT -> compare(value, text(given)) == -1;
        };
    }

    private static final int NO_ORDER = Integer.MIN_VALUE;

    private static int compare(String a, String b) {
        BigDecimal x = number(a);
        BigDecimal y = number(b);
        if (x != null && y != null) {
            return Integer.signum(x.compareTo(y));
        }
        Instant i = instant(a);
        Instant j = instant(b);
        if (i != null && j != null) {
            return Integer.signum(i.compareTo(j));
        }
        return NO_ORDER;
    }

    private static boolean same(String value, JsonNode given) {
        String g = text(given);
        BigDecimal x = number(value);
        BigDecimal y = number(g);
        if (x != null && y != null) {
            return x.compareTo(y) == 0;
        }
        return fold(value).equals(fold(g));
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? "" : n.isValueNode() ? n.asText() : n.toString();
    }

    static String fold(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }

    static BigDecimal number(String s) {
        String t = s.trim();
        if (t.isEmpty() || t.length() > 100) {
            return null;
        }
        try {
            return new BigDecimal(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Instant instant(String s) {
        String t = s.trim();
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean start = true;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (Character.isLetter(cp)) {
                sb.appendCodePoint(start ? Character.toTitleCase(cp) : Character.toLowerCase(cp));
                start = false;
            } else {
                sb.appendCodePoint(cp);
                start = Character.isWhitespace(cp) || cp == '-' || cp == '\'' || cp == '\u2019';
            }
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    static String digits(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int d = Character.digit(cp, 10);
            if (Character.isDigit(cp) && d >= 0) {
                sb.append((char) ('0' + d));
            }
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    /** The field's value as text, or null when absent or blank. */
    static String value(StoredLead l, FieldRef f) {
        String v = switch (f.kind()) {
            case CUSTOM -> l.customFields().get(f.name());
            case RAW -> l.rawFieldData().get(f.name());
            case LEAD -> switch (f.name()) {
                case "providerType" -> l.providerType() == null ? null : l.providerType().wireName();
                case "providerLeadId" -> l.providerLeadId();
                case "email" -> l.email();
                case "firstName" -> l.firstName();
                case "lastName" -> l.lastName();
                case "fullName" -> l.fullName();
                case "phoneNumber" -> l.phoneNumber();
                case "company" -> l.company();
                case "receivedAt" -> l.receivedAt() == null ? null : l.receivedAt().toString();
                case "formId" -> l.formId();
                case "adId" -> l.adId();
                case "campaignId" -> l.campaignId();
                default -> throw new IllegalArgumentException("unknown lead field " + f.name());
            };
        };
        return v == null || v.isBlank() ? null : v;
    }

    /** A copy of {@code l} with {@code f} set to {@code v} ("" clears a lead field). */
    static StoredLead with(StoredLead l, FieldRef f, String v) {
        String x = v == null || v.isEmpty() ? null : v;
        switch (f.kind()) {
            case CUSTOM -> {
                Map<String, String> m = new LinkedHashMap<>(l.customFields());
                m.put(f.name(), v == null ? "" : v);
                return new StoredLead(l.leadId(), l.accountId(), l.providerType(), l.providerLeadId(), l.email(),
                        l.firstName(), l.lastName(), l.fullName(), l.phoneNumber(), l.company(), l.rawFieldData(), m,
                        l.receivedAt(), l.formId(), l.adId(), l.campaignId(), l.isTest(), l.storedAt());
            }
            case RAW -> throw new IllegalArgumentException("rawFieldData." + f.name() + " is read-only");
            default -> {
            }
        }
        return new StoredLead(l.leadId(), l.accountId(), l.providerType(), l.providerLeadId(),
                f.name().equals("email") ? x : l.email(),
                f.name().equals("firstName") ? x : l.firstName(),
                f.name().equals("lastName") ? x : l.lastName(),
                f.name().equals("fullName") ? x : l.fullName(),
                f.name().equals("phoneNumber") ? x : l.phoneNumber(),
                f.name().equals("company") ? x : l.company(),
                l.rawFieldData(), l.customFields(), l.receivedAt(), l.formId(), l.adId(), l.campaignId(), l.isTest(),
                l.storedAt());
    }
}
