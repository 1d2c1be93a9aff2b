package com.leadsync.lead;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The contract's per-field normalization rules (contract.md §1), shared by every provider mapper so that a lead
 * looks the same whichever platform it came from.
 */
public final class FieldNormalizer {

    /*
     * Unicode White_Space, not Java's \s: form answers pasted from web pages and office documents carry NBSP and
     * other wide spaces that String.strip() and \s do not treat as whitespace.
     */
    private static final Pattern WHITESPACE = Pattern.compile("\\p{IsWhite_Space}+");

    /*
     * Deliberately loose: the contract only asks to drop what is clearly not an address. One '@', no whitespace,
     * a domain of non-empty dot-separated labels ending in a TLD of two or more characters. Stricter RFC checks
     * would reject real (e.g. internationalised) addresses that CRMs accept.
     */
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s.]+(?:\\.[^@\\s.]+)*\\.[^@\\s.]{2,}");

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    /** Lookup key (see {@link #countryKey}) → ISO 3166 alpha-2 region. */
    private static final Map<String, String> COUNTRIES = buildCountryIndex();

    private FieldNormalizer() {
    }

    /** Trimmed and lower-cased; null when blank or not an email address. */
    public static String email(String raw) {
        String s = text(raw);
        if (s == null) {
            return null;
        }
        s = s.toLowerCase(Locale.ROOT);
        return EMAIL.matcher(s).matches() ? s : null;
    }

    /** Trimmed, every run of whitespace (any Unicode whitespace) collapsed to one space; null when blank. */
    public static String text(String raw) {
        if (raw == null) {
            return null;
        }
        String s = WHITESPACE.matcher(raw).replaceAll(" ").trim();
        return s.isEmpty() ? null : s;
    }

    /** A lead's three name fields, each normalized by {@link #text}. */
    public record Names(String first, String last, String full) {
    }

    /**
     * The contract's name rule, after {@link #text} on each: a full name alone is split into its first word and the
     * rest (or none); a first and/or last name alone are joined, space-separated, into the full name; a full name
     * given with either is kept as sent. First word / the rest is wrong for some cultures, but any smarter guess
     * would be wrong differently, and the untouched full name is always kept alongside.
     */
    public static Names names(String first, String last, String full) {
        String firstName = text(first);
        String lastName = text(last);
        String fullName = text(full);
        if (fullName != null && firstName == null && lastName == null) {
            int space = fullName.indexOf(' ');
            return space < 0 ? new Names(fullName, null, fullName)
                    : new Names(fullName.substring(0, space), fullName.substring(space + 1), fullName);
        }
        if (fullName == null && (firstName != null || lastName != null)) {
            fullName = firstName == null ? lastName : lastName == null ? firstName : firstName + " " + lastName;
        }
        return new Names(firstName, lastName, fullName);
    }

    /**
     * E.164 when libphonenumber can parse the number into a valid one, using {@code regionHint} (the form's country)
     * when it is a known region and {@code defaultRegion} (the account's) otherwise. Otherwise the digits as typed,
     * with a '+' only when the user typed one; null when there are no digits at all.
     *
     * <p>isValidNumber rather than isPossibleNumber: "possible" only checks the length, so a national number read
     * with the wrong region (a UK number on a US-default account) would be turned into a confidently wrong
     * international number. Keeping the raw digits loses less than inventing a country code.
     */
    public static String phone(String raw, String regionHint, String defaultRegion) {
        if (raw == null) {
            return null;
        }
        String trimmed = WHITESPACE.matcher(raw).replaceAll(" ").trim();
        if (trimmed.isEmpty()) {
            return null;
        }
        String region = supportedRegion(regionHint);
        if (region == null) {
            region = supportedRegion(defaultRegion);
        }
        try {
            // "ZZ" = unknown region: libphonenumber then only accepts numbers written with a '+' country code.
            PhoneNumber parsed = PHONES.parse(trimmed, region == null ? "ZZ" : region);
            if (PHONES.isValidNumber(parsed)) {
                return PHONES.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164);
            }
        } catch (NumberParseException notANumber) {
            // fall through to the digits-only form
        }
        StringBuilder digits = new StringBuilder(trimmed.length() + 1);
        for (int i = 0; i < trimmed.length(); ) {
            int cp = trimmed.codePointAt(i);
            int d = Character.digit(cp, 10); // also maps non-ASCII digits (e.g. Arabic-Indic) to 0-9
            if (d >= 0) {
                digits.append((char) ('0' + d));
            }
            i += Character.charCount(cp);
        }
        if (digits.length() == 0) {
            return null;
        }
        return trimmed.startsWith("+") ? "+" + digits : digits.toString();
    }

    /**
     * ISO 3166 alpha-2 region for what a form's country question holds: an alpha-2 or alpha-3 code (any case), an
     * English country name, or a common alias ("USA", "UK"); null when unknown.
     */
    public static String regionFromCountry(String country) {
        String key = countryKey(country);
        return key == null ? null : COUNTRIES.get(key);
    }

    private static String supportedRegion(String region) {
        if (region == null) {
            return null;
        }
        String r = region.trim().toUpperCase(Locale.ROOT);
        return PHONES.getSupportedRegions().contains(r) ? r : null;
    }

    /*
     * Lookup key: lower-case, accents dropped ("Côte d’Ivoire"), '&' read as "and", punctuation ignored ("U.S.A.",
     * "Congo - Kinshasa"), leading "the" dropped. Applied to both the index and the query so they meet.
     */
    private static String countryKey(String raw) {
        String s = text(raw);
        if (s == null) {
            return null;
        }
        s = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        s = s.toLowerCase(Locale.ROOT).replace("&", " and ");
        s = s.replaceAll("[^\\p{L}\\p{N}]+", " ").trim();
        if (s.startsWith("the ")) {
            s = s.substring(4);
        }
        return s.isEmpty() ? null : s;
    }

    private static Map<String, String> buildCountryIndex() {
        Map<String, String> index = new HashMap<>();
        Set<String> codes = Set.of(Locale.getISOCountries());
        for (String code : codes) {
            Locale locale = new Locale("", code);
            index.put(countryKey(code), code);
            index.put(countryKey(locale.getDisplayCountry(Locale.ENGLISH)), code);
            try {
                index.put(countryKey(locale.getISO3Country()), code);
            } catch (java.util.MissingResourceException noAlpha3) {
                // a few reserved codes have no alpha-3; the alpha-2 and the name still work
            }
        }
        /*
         * The JDK's English names follow CLDR ("Czechia", "Hong Kong SAR China", "Myanmar (Burma)"); people type the
         * older or shorter forms. Only unambiguous aliases: "Korea" or "Congo" alone are left unknown on purpose.
         */
        String[][] aliases = {
            {"US", "United States of America"}, {"US", "America"}, {"US", "U.S."}, {"US", "U.S.A."},
            {"GB", "UK"}, {"GB", "U.K."}, {"GB", "Great Britain"}, {"GB", "Britain"}, {"GB", "England"},
            {"GB", "Scotland"}, {"GB", "Wales"}, {"GB", "Northern Ireland"},
            {"GB", "United Kingdom of Great Britain and Northern Ireland"},
            {"NL", "Holland"}, {"CZ", "Czech Republic"}, {"KR", "Republic of Korea"}, {"KR", "Korea, Republic of"},
            {"KP", "North Korea"}, {"RU", "Russian Federation"}, {"TR", "Türkiye"}, {"CI", "Ivory Coast"},
            {"AE", "UAE"}, {"VN", "Viet Nam"}, {"HK", "Hong Kong"}, {"MO", "Macau"}, {"MO", "Macao"},
            {"MM", "Myanmar"}, {"MM", "Burma"}, {"CD", "Democratic Republic of the Congo"}, {"CD", "DR Congo"},
            {"CG", "Republic of the Congo"}, {"MK", "Macedonia"}, {"SZ", "Swaziland"}, {"CV", "Cape Verde"},
            {"PS", "Palestine"}, {"VA", "Vatican"}, {"VA", "Holy See"}, {"IR", "Iran, Islamic Republic of"},
            {"SY", "Syrian Arab Republic"}, {"LA", "Lao People's Democratic Republic"}, {"BO", "Bolivia"},
            {"VE", "Venezuela"}, {"TZ", "Tanzania"}, {"MD", "Moldova"}, {"FM", "Micronesia"},
        };
        for (String[] alias : aliases) {
            index.put(countryKey(alias[1]), alias[0]);
        }
        return Map.copyOf(index);
    }
}
