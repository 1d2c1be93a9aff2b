package com.leadsync.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** The ad platforms a lead can come from, by the wire names of the public contract. */
public enum ProviderType {
    META_LEAD_ADS("meta_lead_ads"),
    GOOGLE_ADS("google_ads"),
    LINKEDIN_ADS("linkedin_ads"),
    TIKTOK_ADS("tiktok_ads");

    private final String wireName;

    ProviderType(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public static Optional<ProviderType> fromWire(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName.equals(name)).findFirst();
    }

    @JsonCreator
    static ProviderType parse(String name) {
        return fromWire(name).orElseThrow(() -> new IllegalArgumentException("unknown providerType: " + name));
    }
}
