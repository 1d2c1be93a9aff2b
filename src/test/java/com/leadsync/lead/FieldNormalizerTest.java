package com.leadsync.lead;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class FieldNormalizerTest {

    // CsvSource: an empty unquoted column is null, '' is the empty string.
    @ParameterizedTest(name = "email [{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {
        "jane.doe@example.com        | jane.doe@example.com",
        "Jane.Doe@Example.COM        | jane.doe@example.com",
        "'  jane@example.com \t'     | jane@example.com",
        "JANE+LEADS@sub.example.co.uk| jane+leads@sub.example.co.uk",
        "''                          |",
        "'   '                       |",
        "                            |",
        "jane                        |",
        "jane@                       |",
        "@example.com                |",
        "jane@example                |",
        "jane@example.c              |",
        "jane doe@example.com        |",
        "jane@@example.com           |",
        "jane@example..com           |",
        "jane@.example.com           |",
        "<test lead: dummy data for email> |",
    })
    void email(String raw, String expected) {
        assertThat(FieldNormalizer.email(raw)).isEqualTo(expected);
    }

    static Stream<Arguments> texts() {
        return Stream.of(
                Arguments.of("Jane Doe", "Jane Doe"),
                Arguments.of("  Jane   Doe  ", "Jane Doe"),
                Arguments.of("Jane\tDoe", "Jane Doe"),
                Arguments.of("Jane\u00a0Doe", "Jane Doe"),
                Arguments.of("\u00a0Jane \u00a0\t Doe\u2003", "Jane Doe"),
                Arguments.of("Mary\nAnn  van\u202fder Berg", "Mary Ann van der Berg"),
                Arguments.of("Acme   Inc.", "Acme Inc."),
                Arguments.of("", null),
                Arguments.of(" \t\u00a0 ", null),
                Arguments.of(null, null));
    }

    @ParameterizedTest(name = "text [{0}] -> {1}")
    @MethodSource("texts")
    void text(String raw, String expected) {
        assertThat(FieldNormalizer.text(raw)).isEqualTo(expected);
    }

    static Stream<Arguments> names() {
        return Stream.of(
                // A full name alone is split: the first word, and the rest.
                Arguments.of(null, null, "Jane Doe", new FieldNormalizer.Names("Jane", "Doe", "Jane Doe")),
                Arguments.of(null, null, "  Jane   van  der\u00a0Berg ",
                        new FieldNormalizer.Names("Jane", "van der Berg", "Jane van der Berg")),
                Arguments.of(null, null, "Cher", new FieldNormalizer.Names("Cher", null, "Cher")),
                Arguments.of("", " ", "\tCher\u00a0", new FieldNormalizer.Names("Cher", null, "Cher")),
                // First and/or last alone are joined into the full name.
                Arguments.of(" Jane ", "Doe", null, new FieldNormalizer.Names("Jane", "Doe", "Jane Doe")),
                Arguments.of("Jane", null, "", new FieldNormalizer.Names("Jane", null, "Jane")),
                Arguments.of(null, "Doe", null, new FieldNormalizer.Names(null, "Doe", "Doe")),
                // All three given: each kept as sent (normalized), never re-derived.
                Arguments.of("J.", "Doe", "Jane  Doe", new FieldNormalizer.Names("J.", "Doe", "Jane Doe")),
                Arguments.of("Jane", null, "Jane Q. Doe", new FieldNormalizer.Names("Jane", null, "Jane Q. Doe")),
                Arguments.of(null, null, null, new FieldNormalizer.Names(null, null, null)),
                Arguments.of(" ", "", "\u2003", new FieldNormalizer.Names(null, null, null)));
    }

    @ParameterizedTest(name = "names [{0}] [{1}] [{2}] -> {3}")
    @MethodSource("names")
    void names_split_a_full_name_alone_and_join_first_and_last_alone(String first, String last, String full,
            FieldNormalizer.Names expected) {
        assertThat(FieldNormalizer.names(first, last, full)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "phone [{0}] hint={1} default={2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        // already international: region is irrelevant
        "+14155550123          | US  | US | +14155550123",
        "+1 (415) 555-0123     |     | DE | +14155550123",
        "+44 20 7946 0958      |     | US | +442079460958",
        "'  +44 20 7946 0958 ' | DE  | US | +442079460958",
        // national numbers: the hint wins, else the default region
        "(415) 555-0123        |     | US | +14155550123",
        "415.555.0123          | US  | GB | +14155550123",
        "020 7946 0958         | GB  | US | +442079460958",
        "020 7946 0958         | gb  | US | +442079460958",
        "030 1234567           | DE  | US | +49301234567",
        "0151 23456789         |     | DE | +4915123456789",
        // an unknown hint is ignored in favour of the default
        "020 7946 0958         | XX  | GB | +442079460958",
        // not a valid number: the digits as typed, '+' only when typed
        "555-0123              | US  | US | 5550123",
        "+1 555 0123           | US  | US | +15550123",
        "07700 900123          | GB  | GB | 07700900123",
        "020 7946 0958         |     | US | 02079460958",
        "020 7946 0958         |     |    | 02079460958",
        "' +12 345 '           |     |    | +12345",
        "ext. 12345            | US  | US | 12345",
        // no digits at all
        "n/a                   | US  | US |",
        "<test lead: dummy data for phone_number> | US | US |",
        "''                    | US  | US |",
        "                      | US  | US |",
    })
    void phone(String raw, String hint, String defaultRegion, String expected) {
        assertThat(FieldNormalizer.phone(raw, hint, defaultRegion)).isEqualTo(expected);
    }

    @Test
    void phoneDigitsFallbackKeepsNonAsciiDigitsAsAscii() {
        // Arabic-Indic digits typed on a phone keyboard, too short to be valid anywhere
        assertThat(FieldNormalizer.phone("\u0661\u0662\u0663", "EG", "US")).isEqualTo("123");
    }

    @ParameterizedTest(name = "country [{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {
        "US                       | US",
        "us                       | US",
        "' gb '                   | GB",
        "DE                       | DE",
        "USA                      | US",
        "DEU                      | DE",
        "United States            | US",
        "united states of america | US",
        "U.S.A.                   | US",
        "UK                       | GB",
        "United Kingdom           | GB",
        "Great Britain            | GB",
        "Germany                  | DE",
        "GERMANY                  | DE",
        "The Netherlands          | NL",
        "Czech Republic           | CZ",
        "Czechia                  | CZ",
        "Côte d’Ivoire            | CI",
        "Bosnia and Herzegovina   | BA",
        "Bosnia & Herzegovina     | BA",
        "South Korea              | KR",
        "Hong Kong                | HK",
        "Narnia                   |",
        "XX                       |",
        "''                       |",
        "                         |",
    })
    void regionFromCountry(String country, String expected) {
        assertThat(FieldNormalizer.regionFromCountry(country)).isEqualTo(expected);
    }

    @Test
    void countryNamesIgnorePunctuationAndAccents() {
        // an ASCII apostrophe and no accent, where the JDK's name has "Côte d’Ivoire"
        assertThat(FieldNormalizer.regionFromCountry("Cote d'Ivoire")).isEqualTo("CI");
    }
}
