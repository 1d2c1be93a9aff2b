package com.leadsync.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The flow document: parsed with every problem named by its path, rendered back without secrets, secrets kept. */
class FlowDocumentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FlowDocument.Checks ALL_FINE = new FlowDocument.Checks() {
        public Optional<String> destinationProblem(String destinationId) {
            return destinationId.equals("dst_mine") ? Optional.empty() : Optional.of("no destination " + destinationId);
        }

        public Optional<String> urlProblem(String url) {
            return url.startsWith("https://") ? Optional.empty() : Optional.of("URL must be https");
        }
    };

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s.replace('\'', '"'));
    }

    @Test
    void a_document_round_trips_through_its_rendering() throws Exception {
        JsonNode doc = json("{'name':'R','enabled':false,'trigger':{'providerTypes':['google_ads'],'formIds':['f1']},"
                + "'steps':[{'type':'filter','conditions':[{'field':'rawFieldData.budget','op':'gt','value':5}],"
                + "'match':'any'},{'type':'branch','conditions':[{'field':'email','op':'in','value':['a@x.io',2]}],"
                + "'then':[{'type':'set','field':'customFields.t','value':'{{ firstName }}-{{company}}'}],"
                + "'else':[{'type':'format','field':'phoneNumber','format':'e164'},{'type':'stop'}]},"
                + "{'type':'deliver','destinationId':'dst_mine','fieldMapping':{'email':'Email'}},"
                + "{'type':'webhook','url':'https://hooks.example.com/x','secret':'s3cret'}]}");

        FlowDocument.Parsed parsed = FlowDocument.parse(doc, ALL_FINE);
        Flow flow = new Flow("flw_1", "acc", parsed.name(), parsed.enabled(), parsed.trigger(), parsed.steps(), 1,
                Instant.EPOCH, Instant.EPOCH);
        JsonNode shown = FlowDocument.toJson(flow);

        assertThat(shown.toString()).doesNotContain("s3cret");
        assertThat(shown.path("steps").get(3).path("hasSecret").asBoolean()).isTrue();
        assertThat(shown.path("steps").get(1).path("then").get(0).path("value").asText())
                .isEqualTo("{{ firstName }}-{{company}}");
        FlowDocument.Parsed again = FlowDocument.parse(shown, ALL_FINE);
        // Sent back as shown (no secret), a webhook step keeps the secret it had.
        assertThat(FlowDocument.stepsJson(FlowDocument.keepSecrets(again, parsed.steps()))).isEqualTo(shown.path("steps"));
        assertThat(again.trigger()).isEqualTo(parsed.trigger());
        // As the store keeps them: steps without secrets, the secrets apart by path.
        assertThat(FlowDocument.withSecrets(FlowDocument.parseStored(FlowDocument.toJson(flow)).steps(),
                FlowDocument.secretsByPath(parsed.steps())).toString()).isEqualTo(parsed.steps().toString());
        assertThat(FlowDocument.secretsByPath(parsed.steps())).containsExactly(java.util.Map.entry("steps[3]", "s3cret"));
    }

    @Test
    void every_problem_is_reported_at_once_with_its_path() throws Exception {
        JsonNode doc = json("{'name':' ','colour':'red','steps':[{'type':'filter','conditions':[{'field':'email',"
                + "'op':'equal','value':'a'}]},{'type':'set','field':'rawFieldData.x','value':'{{fistName}}'},"
                + "{'type':'filter','conditions':[{'field':'email','op':'exists','value':1},{'field':'company',"
                + "'op':'matches','value':'(x'}]},{'type':'deliver','destinationId':'dst_theirs'},"
                + "{'type':'webhook','url':'http://plain.example.com'},{'type':'branch','conditions':"
                + "[{'field':'email','op':'exists'}]},{'type':'teleport'},{'type':'stop','then':[]}]}");

        assertThatThrownBy(() -> FlowDocument.parse(doc, ALL_FINE)).isInstanceOfSatisfying(FlowDocument.Invalid.class,
                e -> {
                    assertThat(e.problems()).extracting(FlowDocument.Problem::path).containsExactly("colour", "name",
                            "steps[0].conditions[0].op", "steps[1].field", "steps[1].value",
                            "steps[2].conditions[0].value", "steps[2].conditions[1].value", "steps[3].destinationId",
                            "steps[4].url", "steps[5]", "steps[6].type", "steps[7].then");
                    assertThat(e.getMessage()).startsWith("colour: unknown field").endsWith("(and 11 more problems)");
                    assertThat(e.problems().get(2).message()).startsWith("unknown op \"equal\"; ops are equals");
                    assertThat(e.problems().get(6).message()).startsWith("bad regex");
                });
    }

    @Test
    void a_webhook_step_that_leaves_its_secret_out_keeps_the_current_one_and_null_removes_it() throws Exception {
        List<Step> current = FlowDocument.parse(json("{'name':'W','steps':[{'type':'webhook','url':"
                + "'https://a.example.com','secret':'old'}]}"), ALL_FINE).steps();

        FlowDocument.Parsed omitted = FlowDocument.parse(json("{'name':'W','steps':[{'type':'stop'},{'type':'webhook',"
                + "'url':'https://a.example.com','hasSecret':true}]}"), ALL_FINE);
        FlowDocument.Parsed removed = FlowDocument.parse(json("{'name':'W','steps':[{'type':'webhook',"
                + "'url':'https://a.example.com','secret':null}]}"), ALL_FINE);
        FlowDocument.Parsed otherUrl = FlowDocument.parse(json("{'name':'W','steps':[{'type':'webhook',"
                + "'url':'https://b.example.com'}]}"), ALL_FINE);

        assertThat(FlowDocument.secretsByPath(FlowDocument.keepSecrets(omitted, current))).containsEntry("steps[1]", "old");
        assertThat(FlowDocument.secretsByPath(FlowDocument.keepSecrets(removed, current))).isEmpty();
        assertThat(FlowDocument.secretsByPath(FlowDocument.keepSecrets(otherUrl, current))).isEmpty();
    }

    @Test
    void too_many_steps_and_too_deep_branches_are_refused() throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 51; i++) {
            many.append(i == 0 ? "" : ",").append("{'type':'stop'}");
        }
        assertThatThrownBy(() -> FlowDocument.parse(json("{'name':'L','steps':[" + many + "]}"), ALL_FINE))
                .hasMessageStartingWith("steps: a flow has at most 50 steps, counted across all levels; this one has 51");
        String nested = "{'type':'stop'}";
        for (int i = 0; i < 5; i++) {
            nested = "{'type':'branch','conditions':[{'field':'email','op':'exists'}],'then':[" + nested + "]}";
        }
        FlowDocument.parse(json("{'name':'D','steps':[" + nested + "]}"), ALL_FINE);
        String deeper = "{'type':'branch','conditions':[{'field':'email','op':'exists'}],'then':[" + nested + "]}";
        assertThatThrownBy(() -> FlowDocument.parse(json("{'name':'D','steps':[" + deeper + "]}"), ALL_FINE))
                .hasMessage("steps[0].then[0].then[0].then[0].then[0].then[0]: branches nest at most 5 levels deep");
    }
}
