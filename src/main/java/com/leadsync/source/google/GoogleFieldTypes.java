package com.leadsync.source.google;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names of {@code LeadFormFieldUserInputTypeEnum.LeadFormFieldUserInputType} (googleapis
 * {@code google/ads/googleads/v22/enums/lead_form_field_user_input_type.proto}): Google's standard and
 * qualifying questions. A webhook's {@code column_id} is one of these for a standard question; anything else
 * is taken as the advertiser's own question (whose {@code column_id} is undocumented, providers.md §2.1).
 */
final class GoogleFieldTypes {

    private static final Set<String> NAMES = Set.of(
            "UNSPECIFIED", "UNKNOWN", "FULL_NAME", "EMAIL", "PHONE_NUMBER", "POSTAL_CODE", "STREET_ADDRESS", "CITY",
            "REGION", "COUNTRY", "WORK_EMAIL", "COMPANY_NAME", "WORK_PHONE", "JOB_TITLE", "FIRST_NAME", "LAST_NAME",
            // qualifying questions (1001+)
            "VEHICLE_MODEL", "VEHICLE_TYPE", "PREFERRED_DEALERSHIP", "VEHICLE_PURCHASE_TIMELINE", "VEHICLE_OWNERSHIP",
            "VEHICLE_PAYMENT_TYPE", "VEHICLE_CONDITION", "COMPANY_SIZE", "ANNUAL_SALES", "YEARS_IN_BUSINESS",
            "JOB_DEPARTMENT", "JOB_ROLE", "EDUCATION_PROGRAM", "EDUCATION_COURSE", "PRODUCT", "SERVICE", "OFFER",
            "CATEGORY", "PREFERRED_CONTACT_METHOD", "PREFERRED_LOCATION", "PREFERRED_CONTACT_TIME",
            "PURCHASE_TIMELINE", "YEARS_OF_EXPERIENCE", "JOB_INDUSTRY", "LEVEL_OF_EDUCATION", "PROPERTY_TYPE",
            "REALTOR_HELP_GOAL", "PROPERTY_COMMUNITY", "PRICE_RANGE", "NUMBER_OF_BEDROOMS", "FURNISHED_PROPERTY",
            "PETS_ALLOWED_PROPERTY", "NEXT_PLANNED_PURCHASE", "EVENT_SIGNUP_INTEREST", "PREFERRED_SHOPPING_PLACES",
            "FAVORITE_BRAND", "TRANSPORTATION_COMMERCIAL_LICENSE_TYPE", "EVENT_BOOKING_INTEREST",
            "DESTINATION_COUNTRY", "DESTINATION_CITY", "DEPARTURE_COUNTRY", "DEPARTURE_CITY", "DEPARTURE_DATE",
            "RETURN_DATE", "NUMBER_OF_TRAVELERS", "TRAVEL_BUDGET", "TRAVEL_ACCOMMODATION");

    /** {@code GOVERNMENT_ISSUED_ID_CPF_BR} … {@code _RFC_MX} (16–22) and {@code OVER_18_AGE} … {@code OVER_65_AGE}. */
    private static final Pattern FAMILIES = Pattern.compile("GOVERNMENT_ISSUED_ID_[A-Z]+_[A-Z]{2}|OVER_[0-9]{2}_AGE");

    private GoogleFieldTypes() {
    }

    static boolean isStandard(String name) {
        return name != null && (NAMES.contains(name) || FAMILIES.matcher(name).matches());
    }
}
