package com.leadsync.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

class ReplayPlanTest {

    private static final String QUEUE = "http://127.0.0.1:1/000000000000/leadsync-deliver";
    private static final Map<String, List<String>> KEYS = Map.of("leadsync-leads", List.of("leadId"),
            "leadsync-connections", List.of("providerType", "externalId"));

    private final List<CallRecorder.Call> trace = new ArrayList<>();

    @Test
    void a_receive_waits_for_the_send_of_a_message_it_got_even_if_its_long_poll_began_before_the_send() {
        send(1, 10, 20, "m1", "L1");
        receive(2, 5, 25, "m1", "r1");

        ReplayPlan plan = ReplayPlan.of(trace, KEYS);

        ReplayPlan.Step receive = step(plan, stepOfThread(plan, 2));
        assertThat(receive.deps()).containsExactly(stepOfThread(plan, 1));
        assertThat(receive.received()).isEqualTo(1);
    }

    @Test
    void a_lead_call_waits_for_that_lead_calls_that_ended_before_it_began_and_not_for_concurrent_ones() {
        update(1, 0, 10, "L1");
        update(2, 5, 15, "L1");
        get(3, 20, 30, "L1");
        get(4, 20, 30, "L2");

        ReplayPlan plan = ReplayPlan.of(trace, KEYS);

        assertThat(step(plan, 1).deps()).as("ran concurrently with the first update").isEmpty();
        assertThat(step(plan, 2).deps()).containsExactlyInAnyOrder(0, 1);
        assertThat(step(plan, 3).deps()).as("another lead").isEmpty();
    }

    @Test
    void reads_of_a_shared_item_do_not_wait_for_each_other_but_a_later_write_waits_for_them() {
        getConnection(1, 0, 10);
        getConnection(2, 20, 30);
        trace.add(call(3, UpdateItemRequest.builder().tableName("leadsync-connections").key(connectionKey()).build(),
                40, 50, UpdateItemResponse.builder().build()));

        ReplayPlan plan = ReplayPlan.of(trace, KEYS);

        assertThat(step(plan, 1).deps()).isEmpty();
        assertThat(step(plan, 2).deps()).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void receives_on_a_queue_follow_the_order_they_returned_in_and_empty_ones_are_left_out() {
        send(1, 0, 5, "m1", "L1");
        send(1, 6, 9, "m2", "L2");
        receive(2, 0, 30, "m2", "r2");
        receive(3, 0, 20, "m1", "r1");
        trace.add(call(4, ReceiveMessageRequest.builder().queueUrl(QUEUE).build(), 0, 40,
                ReceiveMessageResponse.builder().messages(List.of()).build()));

        ReplayPlan plan = ReplayPlan.of(trace, KEYS);

        assertThat(plan.emptyReceives).isEqualTo(1);
        assertThat(plan.steps).hasSize(4);
        int firstToReturn = stepOfThread(plan, 3);
        int secondToReturn = stepOfThread(plan, 2);
        assertThat(plan.steps.get(secondToReturn).deps()).contains(firstToReturn);
        assertThat(plan.steps.get(firstToReturn).deps()).doesNotContain(secondToReturn);
    }

    @Test
    void a_delete_points_each_entry_at_the_message_of_the_receive_it_came_from() {
        send(1, 0, 5, "m1", "L1");
        send(1, 6, 9, "m2", "L2");
        trace.add(call(2, ReceiveMessageRequest.builder().queueUrl(QUEUE).maxNumberOfMessages(10).build(), 10, 20,
                ReceiveMessageResponse.builder().messages(message("m1", "r1", "L1"), message("m2", "r2", "L2"))
                        .build()));
        trace.add(call(2, DeleteMessageBatchRequest.builder().queueUrl(QUEUE).entries(
                        DeleteMessageBatchRequestEntry.builder().id("0").receiptHandle("r2").build()).build(), 30, 40,
                DeleteMessageBatchResponse.builder().build()));

        ReplayPlan plan = ReplayPlan.of(trace, KEYS);

        assertThat(step(plan, 3).deleteSources()).singleElement().satisfies(source ->
                assertThat(source).containsExactly(2, 1));
        assertThat(plan.leads).containsExactly("L1", "L2");
    }

    @Test
    void a_receive_of_a_message_sent_before_the_recording_cannot_be_replayed() {
        receive(2, 5, 25, "m0", "r0");

        assertThatThrownBy(() -> ReplayPlan.of(trace, KEYS)).hasMessageContaining("no recorded send");
    }

    private static ReplayPlan.Step step(ReplayPlan plan, int index) {
        return plan.steps.get(index);
    }

    private static int stepOfThread(ReplayPlan plan, long thread) {
        return plan.steps.stream().filter(s -> s.call().threadId() == thread).findFirst().orElseThrow().index();
    }

    private void send(long thread, long start, long end, String messageId, String lead) {
        trace.add(call(thread, SendMessageBatchRequest.builder().queueUrl(QUEUE).entries(SendMessageBatchRequestEntry
                        .builder().id("0").messageBody(body(lead)).build()).build(), start, end,
                SendMessageBatchResponse.builder().successful(SendMessageBatchResultEntry.builder().id("0")
                        .messageId(messageId).build()).build()));
    }

    private void receive(long thread, long start, long end, String messageId, String receipt) {
        String lead = trace.stream().filter(c -> c.response() instanceof SendMessageBatchResponse r
                        && r.successful().get(0).messageId().equals(messageId)).findFirst()
                .map(c -> ((SendMessageBatchRequest) c.request()).entries().get(0).messageBody()).orElse(body("L0"));
        trace.add(call(thread, ReceiveMessageRequest.builder().queueUrl(QUEUE).maxNumberOfMessages(10).build(), start,
                end, ReceiveMessageResponse.builder().messages(Message.builder().messageId(messageId)
                        .receiptHandle(receipt).body(lead).build()).build()));
    }

    private void update(long thread, long start, long end, String lead) {
        trace.add(call(thread, UpdateItemRequest.builder().tableName("leadsync-leads")
                .key(Map.of("leadId", AttributeValue.fromS(lead))).build(), start, end,
                UpdateItemResponse.builder().build()));
    }

    private void get(long thread, long start, long end, String lead) {
        trace.add(call(thread, GetItemRequest.builder().tableName("leadsync-leads")
                .key(Map.of("leadId", AttributeValue.fromS(lead))).build(), start, end,
                GetItemResponse.builder().build()));
    }

    private void getConnection(long thread, long start, long end) {
        trace.add(call(thread, GetItemRequest.builder().tableName("leadsync-connections").key(connectionKey()).build(),
                start, end, GetItemResponse.builder().build()));
    }

    private static Map<String, AttributeValue> connectionKey() {
        return Map.of("providerType", AttributeValue.fromS("meta_lead_ads"), "externalId", AttributeValue.fromS("1"));
    }

    private static Message message(String id, String receipt, String lead) {
        return Message.builder().messageId(id).receiptHandle(receipt).body(body(lead)).build();
    }

    private static String body(String lead) {
        return "{\"leadId\":\"" + lead + "\",\"targetId\":\"t\",\"generation\":1}";
    }

    private static CallRecorder.Call call(long thread, SdkRequest request, long start, long end, SdkResponse response) {
        String service = request.getClass().getPackageName().contains("dynamodb") ? "DynamoDb" : "Sqs";
        String operation = request.getClass().getSimpleName().replace("Request", "");
        return new CallRecorder.Call(thread, "t-" + thread, service, operation, request, start, end, response, null);
    }
}
