package com.leadsync.source.linkedin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Rest.li 2.0 query values exactly as providers.md §3.1/§3.3 write them. */
class LinkedInUrnsTest {

    @Test
    void the_owner_is_a_sponsored_account_urn_encoded_inside_literal_parentheses() {
        assertThat(LinkedInUrns.ownerParam("508915158"))
                .isEqualTo("(sponsoredAccount:urn%3Ali%3AsponsoredAccount%3A508915158)");
    }

    @Test
    void the_form_filter_encodes_both_urns_and_keeps_the_tuple_syntax() {
        LinkedInUrns.FormVersion form = LinkedInUrns
                .formVersion("urn:li:versionedLeadGenForm:(urn:li:leadGenForm:3162,1)").orElseThrow();

        assertThat(form).isEqualTo(new LinkedInUrns.FormVersion("3162", "1"));
        assertThat(form.urn()).isEqualTo("urn:li:versionedLeadGenForm:(urn:li:leadGenForm:3162,1)");
        assertThat(LinkedInUrns.formFilterParam(form))
                .isEqualTo("urn%3Ali%3AversionedLeadGenForm%3A(urn%3Ali%3AleadGenForm%3A3162,1)");
    }

    @Test
    void a_lead_id_is_percent_encoded_for_its_path() {
        assertThat(LinkedInUrns.encode("249592fc-d272-44ba-a7db-c2bdce579507-6"))
                .isEqualTo("249592fc-d272-44ba-a7db-c2bdce579507-6");
        assertThat(LinkedInUrns.encode("a b/c:d")).isEqualTo("a%20b%2Fc%3Ad");
    }

    @Test
    void only_urns_of_the_expected_kind_give_ids() {
        assertThat(LinkedInUrns.idOf("urn:li:sponsoredAccount:42", LinkedInUrns.SPONSORED_ACCOUNT)).contains("42");
        assertThat(LinkedInUrns.idOf("urn:li:organization:42", LinkedInUrns.SPONSORED_ACCOUNT)).isEmpty();
        assertThat(LinkedInUrns.idOf("urn:li:sponsoredAccount:", LinkedInUrns.SPONSORED_ACCOUNT)).isEmpty();
        assertThat(LinkedInUrns.formVersion("urn:li:leadGenForm:3162")).isEmpty();
        assertThat(LinkedInUrns.formVersion("urn:li:versionedLeadGenForm:(urn:li:leadGenForm:x,1)")).isEmpty();
    }

    @Test
    void account_ids_are_digits_of_a_bounded_length() {
        assertThat(LinkedInUrns.isAccountId("508915158")).isTrue();
        assertThat(LinkedInUrns.isAccountId("1".repeat(21))).isFalse();
        assertThat(LinkedInUrns.isAccountId("urn:li:sponsoredAccount:508915158")).isFalse();
        assertThat(LinkedInUrns.isAccountId("")).isFalse();
        assertThat(LinkedInUrns.isAccountId(null)).isFalse();
    }
}
