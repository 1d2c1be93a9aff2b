package com.leadsync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.flow.Flow;
import com.leadsync.flow.FlowDocument;
import com.leadsync.flow.FlowEngine;
import com.leadsync.flow.FlowResult;
import com.leadsync.model.ProviderType;
import com.leadsync.model.StoredLead;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code ./mvnw -Pbench verify}: the flow engine alone, one thread, on a 20-step flow of every kind of step (filters,
 * branches, sets with placeholders, formats including e164 and title, a pattern, deliveries). Prints one line
 * starting {@code flows:}. Asserts that every run did what the flow says; the figure is for reading.
 */
class FlowBenchmark {

    private static final String FLOW = """
            {"name": "bench", "steps": [
              {"type": "filter", "conditions": [{"field": "email", "op": "exists"}]},
              {"type": "format", "field": "email", "format": "lower"},
              {"type": "format", "field": "firstName", "format": "title"},
              {"type": "format", "field": "lastName", "format": "title"},
              {"type": "format", "field": "phoneNumber", "format": "e164"},
              {"type": "set", "field": "fullName", "value": "{{firstName}} {{lastName}}"},
              {"type": "filter", "match": "any", "conditions": [
                {"field": "customFields.budget", "op": "gt", "value": 1000},
                {"field": "company", "op": "matches", "value": "(?i)(inc|ltd|gmbh)\\\\b"}]},
              {"type": "branch", "conditions": [{"field": "rawFieldData.country", "op": "in",
                  "value": ["US", "CA", "MX"]}],
                "then": [{"type": "set", "field": "customFields.region", "value": "americas"},
                         {"type": "deliver", "destinationId": "dst_americas"}],
                "else": [{"type": "set", "field": "customFields.region", "value": "rest"},
                         {"type": "branch", "conditions": [{"field": "email", "op": "ends_with", "value": ".de"}],
                           "then": [{"type": "deliver", "destinationId": "dst_dach"}],
                           "else": [{"type": "deliver", "destinationId": "dst_rest"}]}]},
              {"type": "format", "field": "company", "format": "trim"},
              {"type": "set", "field": "customFields.source", "value": "{{providerType}}/{{formId}}"},
              {"type": "filter", "conditions": [{"field": "customFields.budget", "op": "not_equals", "value": "0"}]},
              {"type": "format", "field": "customFields.budget", "format": "digits"},
              {"type": "webhook", "url": "https://hooks.example.com/leads"},
              {"type": "stop"}
            ]}""";

    @Test
    void flow_evaluations_per_second_on_one_core() throws Exception {
        FlowDocument.Checks none = new FlowDocument.Checks() {
            public Optional<String> destinationProblem(String destinationId) {
                return Optional.empty();
            }

            public Optional<String> urlProblem(String url) {
                return Optional.empty();
            }
        };
        FlowDocument.Parsed parsed = FlowDocument.parse(new ObjectMapper().readTree(FLOW), none);
        Flow flow = new Flow("flw_bench", "acc", parsed.name(), true, parsed.trigger(), parsed.steps(), 1,
                Instant.EPOCH, Instant.EPOCH);
        int steps = countSteps(FlowDocument.stepsJson(flow.steps()));
        assertThat(steps).isEqualTo(20);
        List<StoredLead> leads = new ArrayList<>();
        String[] countries = {"US", "DE", "FR", "CA", "JP"};
        for (int i = 0; i < 1000; i++) {
            String country = countries[i % countries.length];
            leads.add(new StoredLead("lead_" + i, "acc", ProviderType.META_LEAD_ADS, "p" + i,
                    "Person." + i + "@Example." + (country.equals("DE") ? "de" : "com"), "jane", "o'NEIL-smith",
                    null, "(415) 555-" + String.format("%04d", i % 10000), " Acme Inc ", Map.of("country", country),
                    Map.of("budget", "$" + (500 + i * 10)), Instant.EPOCH, "form_1", null, null, false, null));
        }
        run(flow, leads, 2_000_000_000L); // warm-up: JIT, libphonenumber metadata
        long[] counts = run(flow, leads, 5_000_000_000L);
        double perSecond = counts[0] / (counts[1] / 1e9);
        System.out.printf(Locale.ROOT, "flows: %.0f evaluations/s of a %d-step flow on one core (%d runs in %.1f s; "
                + "each completed with its 2 deliveries)%n", perSecond, steps, counts[0], counts[1] / 1e9);
        assertThat(counts[2]).isEqualTo(counts[0]);
    }

    /** Runs for {@code nanos}: {runs, elapsed nanos, completed runs}; each run checked against what the flow says. */
    private static long[] run(Flow flow, List<StoredLead> leads, long nanos) {
        long start = System.nanoTime();
        long runs = 0;
        long completed = 0;
        while (System.nanoTime() - start < nanos) {
            for (int i = 0; i < 100; i++) {
                StoredLead lead = leads.get((int) (runs % leads.size()));
                FlowResult r = FlowEngine.run(flow, lead, "US");
                // Every sample lead passes both filters (its company matches the pattern) and gets two deliveries.
                if (r.outcome() != FlowResult.Outcome.COMPLETED || r.actions().size() != 2) {
                    throw new AssertionError("lead " + lead.leadId() + ": " + r);
                }
                completed++;
                runs++;
            }
        }
        return new long[] {runs, System.nanoTime() - start, completed};
    }

    private static int countSteps(com.fasterxml.jackson.databind.JsonNode steps) {
        int n = 0;
        for (com.fasterxml.jackson.databind.JsonNode s : steps) {
            n++;
            n += countSteps(s.path("then")) + countSteps(s.path("else"));
        }
        return n;
    }
}
