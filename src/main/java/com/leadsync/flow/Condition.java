package com.leadsync.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;

/**
 * {@code field op value} (contract §8). {@code value} is as the flow gave it (null for {@code exists} and
 * {@code not_exists}); {@code pattern} is {@code value} compiled, for {@code matches} only (RE2/J: linear time).
 */
public record Condition(FieldRef field, Op op, JsonNode value, Pattern pattern) {
}
