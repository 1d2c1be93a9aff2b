package com.leadsync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.leadsync.flow.Flow;
import com.leadsync.flow.FlowAction;
import com.leadsync.flow.FlowRepository;
import com.leadsync.flow.FlowResult.Outcome;
import com.leadsync.flow.FlowRun;
import com.leadsync.flow.FlowRunRepository;
import com.leadsync.flow.StepTaken;
import com.leadsync.flow.Step;
import com.leadsync.flow.Trigger;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Flows and their versions, and runs once per (lead, flow), on the DynamoDB emulator. */
@QuarkusTest
class FlowStoreTest {

    @Inject
    FlowStore flows;
    @Inject
    FlowRunStore runs;
    @Inject
    DynamoDbClient dynamo;
    @Inject
    TableNames tables;

    private static Flow flow(String account, String secret) {
        Instant now = Instant.parse("2026-12-02T09:00:00Z");
        return new Flow(Flow.newId(), account, "F", true, Trigger.ANY,
                List.of(new Step.Webhook("https://hooks.example.com/x", secret)), 1, now, now);
    }

    @Test
    void versions_are_kept_through_updates_and_a_delete_and_a_stale_update_conflicts() {
        String account = "acc_" + UUID.randomUUID();
        Flow v1 = flow(account, "s3cret-one");
        flows.create(v1);
        Flow v2 = v1.next("F2", false, Trigger.ANY, List.of(new Step.Stop()), Instant.now());
        flows.update(v2);

        assertThat(flows.get(v1.flowId())).contains(v2);
        assertThat(flows.version(v1.flowId(), 1)).contains(v1);
        assertThat(flows.listByAccount(account)).containsExactly(v2);
        assertThat(flows.countByAccount(account)).isEqualTo(1);
        assertThatThrownBy(() -> flows.update(v1.next("stale", true, Trigger.ANY, List.of(new Step.Stop()),
                Instant.now()))).isInstanceOf(FlowRepository.Conflict.class);

        Map<String, AttributeValue> raw = dynamo.getItem(b -> b.tableName(tables.of(Schema.FLOWS))
                .key(Map.of("flowId", AttributeValue.fromS(v1.flowId()), "version", AttributeValue.fromN("1"))))
                .item();
        assertThat(raw.toString()).as("the webhook secret is sealed").doesNotContain("s3cret-one");

        assertThat(flows.delete(v1.flowId())).isTrue();
        assertThat(flows.delete(v1.flowId())).isFalse();
        assertThat(flows.get(v1.flowId())).isEmpty();
        assertThat(flows.listByAccount(account)).isEmpty();
        assertThat(flows.version(v1.flowId(), 2)).contains(v2);
        assertThatThrownBy(() -> flows.update(v2.next("gone", true, Trigger.ANY, List.of(new Step.Stop()),
                Instant.now()))).isInstanceOf(FlowRepository.Conflict.class);
    }

    @Test
    void a_write_that_stopped_after_its_head_is_served_by_the_head_and_repaired_by_the_next_write() {
        Flow v1 = flow("acc_" + UUID.randomUUID(), "s");
        flows.create(v1);
        // As if the create had stopped between the head and the version item.
        dynamo.deleteItem(b -> b.tableName(tables.of(Schema.FLOWS)).key(Map.of("flowId",
                AttributeValue.fromS(v1.flowId()), "version", AttributeValue.fromN("1"))));

        assertThat(flows.version(v1.flowId(), 1)).contains(v1);
        flows.update(v1.next("F2", true, Trigger.ANY, List.of(new Step.Stop()), Instant.now()));
        assertThat(flows.version(v1.flowId(), 1)).contains(v1);
        assertThat(flows.version(v1.flowId(), 2)).map(Flow::name).contains("F2");
    }

    @Test
    void a_run_is_recorded_once_per_lead_and_flow_and_listed_newest_first_in_pages() {
        String flowId = Flow.newId();
        Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
        List<String> leads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String lead = "lead_" + UUID.randomUUID();
            leads.add(0, lead);
            runs.putIfAbsent(run(flowId, lead, t0.plusSeconds(i), Outcome.COMPLETED));
        }
        FlowRun again = runs.putIfAbsent(run(flowId, leads.get(0), t0.plusSeconds(99), Outcome.FILTERED));
        assertThat(again.outcome()).as("the first run stands").isEqualTo(Outcome.COMPLETED);
        assertThat(runs.forLead(leads.get(0))).hasSize(1);
        assertThat(runs.forLead(leads.get(0)).get(0).actions()).hasSize(1);

        FlowRunRepository.Page first = runs.listForFlow(flowId, 2, null);
        FlowRunRepository.Page second = runs.listForFlow(flowId, 2, first.nextCursor());
        FlowRunRepository.Page third = runs.listForFlow(flowId, 2, second.nextCursor());
        List<String> listed = new ArrayList<>();
        for (FlowRunRepository.Page p : List.of(first, second, third)) {
            p.items().forEach(r -> listed.add(r.leadId()));
        }
        assertThat(listed).containsExactlyElementsOf(leads);
        assertThat(third.nextCursor()).isNull();
        assertThatThrownBy(() -> runs.listForFlow(Flow.newId(), 2, first.nextCursor()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static FlowRun run(String flowId, String leadId, Instant at, Outcome outcome) {
        return new FlowRun(flowId, 1, leadId, "acc", outcome, List.of(new StepTaken("steps[0]", "webhook", "queued",
                null)), List.of(FlowAction.webhook("steps[0]", "https://hooks.example.com/x")), null, at);
    }
}
