package com.leadsync.source.tiktok;

import com.fasterxml.jackson.databind.JsonNode;
import com.leadsync.lead.InstantRange;
import com.leadsync.source.MalformedPayloadException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * TikTok's submission times: the webhook's {@code create_time} in unix seconds; the lead file's {@code created_time}
 * as {@code YYYY-MM-DD HH:MM:SS} in UTC+0 (providers.md §4.3). The file's exact format is [U], so ISO-8601 with an
 * offset and unix seconds are read too.
 */
final class TikTokTimes {

    private TikTokTimes() {
    }

    /** Unix seconds as an integer or a digit string; required. */
    static Instant unixSeconds(JsonNode node, String where) {
        String text = TikTokIds.text(node, where); // the same shapes as an id: integer or digit string
        if (text == null) {
            throw new MalformedPayloadException(where + " is missing");
        }
        try {
            return inRange(Instant.ofEpochSecond(Long.parseLong(text)), where);
        } catch (NumberFormatException | DateTimeException e) {
            throw new MalformedPayloadException(where + " must be unix seconds, got \"" + shortened(text) + "\"", e);
        }
    }

    /** A lead file's time cell; required. */
    static Instant fileTime(String cell, String where) {
        String text = cell == null ? "" : cell.trim();
        if (text.isEmpty()) {
            throw new MalformedPayloadException(where + " is missing");
        }
        try {
            if (text.chars().allMatch(Character::isDigit)) {
                return inRange(Instant.ofEpochSecond(Long.parseLong(text)), where);
            }
            String iso = text.length() > 10 && text.charAt(10) == ' '
                    ? text.substring(0, 10) + 'T' + text.substring(11) : text;
            try {
                return inRange(OffsetDateTime.parse(iso).toInstant(), where);
            } catch (DateTimeParseException noOffset) {
                return inRange(LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC), where); // the file's UTC+0
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new MalformedPayloadException(where + " \"" + shortened(text) + "\" is not a time", e);
        } catch (DateTimeException e) {
            throw new MalformedPayloadException(where + " \"" + shortened(text) + "\" is out of range", e);
        }
    }

    private static Instant inRange(Instant t, String where) {
        if (!InstantRange.contains(t)) {
            throw new MalformedPayloadException(where + " is out of range: must be " + InstantRange.describe());
        }
        return t;
    }

    private static String shortened(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
