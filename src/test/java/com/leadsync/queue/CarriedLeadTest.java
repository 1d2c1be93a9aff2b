package com.leadsync.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadsync.delivery.DeliverMessage;
import com.leadsync.delivery.DestinationTestLeads;
import com.leadsync.model.StoredLead;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A deliver message carries its lead through the queue unchanged, unless that would take more than 64 KiB. */
@QuarkusTest
class CarriedLeadTest {

    @Inject
    ObjectMapper json;

    @Test
    void the_carried_lead_comes_out_of_the_queue_body_equal_to_the_stored_one() throws Exception {
        StoredLead lead = DestinationTestLeads.lead();
        DeliverMessage m = new DeliverMessage(lead.leadId(), "dst_1", 3, "trace-1", lead);

        DeliverMessage back = json.readValue(QueuePublisher.deliverBody(json, m), DeliverMessage.class);

        assertThat(back).usingRecursiveComparison().isEqualTo(m);
        assertThat(back.lead()).isEqualTo(lead);
        assertThat(back.lead().rawFieldData().keySet()).containsExactlyElementsOf(lead.rawFieldData().keySet());
    }

    @Test
    void a_lead_too_big_for_one_billing_chunk_is_left_to_be_read_back() throws Exception {
        StoredLead l = DestinationTestLeads.lead();
        StoredLead big = new StoredLead(l.leadId(), l.accountId(), l.providerType(), l.providerLeadId(), l.email(),
                l.firstName(), l.lastName(), l.fullName(), l.phoneNumber(), l.company(),
                Map.of("essay", "x".repeat(QueuePublisher.MAX_CARRIED_BYTES)), l.customFields(), l.receivedAt(),
                l.formId(), l.adId(), l.campaignId(), l.isTest(), l.storedAt());

        String body = QueuePublisher.deliverBody(json, new DeliverMessage(l.leadId(), "dst_1", 1, null, big));

        assertThat(body.getBytes(StandardCharsets.UTF_8).length).isLessThan(1024);
        assertThat(json.readValue(body, DeliverMessage.class))
                .isEqualTo(new DeliverMessage(l.leadId(), "dst_1", 1, null));
    }

    @Test
    void a_message_from_before_leads_were_carried_still_reads() throws Exception {
        DeliverMessage old = json.readValue("{\"leadId\":\"ld_1\",\"targetId\":\"dst_1\",\"generation\":2}",
                DeliverMessage.class);
        assertThat(old).isEqualTo(new DeliverMessage("ld_1", "dst_1", 2, null));
    }
}
