package com.leadsync.delivery.pipedrive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.leadsync.crypto.Sha256;
import com.leadsync.delivery.CheckReport;
import com.leadsync.delivery.CrmLinks;
import com.leadsync.delivery.CrmTokens;
import com.leadsync.delivery.DeliveryContext;
import com.leadsync.delivery.DeliveryException;
import com.leadsync.delivery.DeliveryReceipt;
import com.leadsync.delivery.DeliveryTarget;
import com.leadsync.delivery.Destination;
import com.leadsync.delivery.FieldMapper;
import com.leadsync.delivery.OutboundHttp;
import com.leadsync.delivery.Pace;
import com.leadsync.delivery.Placeholders;
import com.leadsync.delivery.UrlPolicy;
import com.leadsync.delivery.pipedrive.CreateOnce.Outcome;
import com.leadsync.delivery.pipedrive.PipedriveClient.Session;
import com.leadsync.model.StoredLead;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Writes a lead to Pipedrive as a person (found by exact email, else created), the organization of its company
 * (found by name, else created) and one Pipedrive lead per LeadSync lead (crm.md §A.4, contract §7). Pipedrive has
 * no upsert, so what was created is remembered in {@link CrmLinks} under keys of ours, each created at most once
 * ({@link CreateOnce}): {@code dst#<id>#lead#<leadId>}, {@code dst#<id>#person#<sha256(lower-case email)>} (two leads
 * with one email share the person), {@code dst#<id>#org#<sha256(lower-case company)>}; a person of a lead without
 * email is keyed by the lead ({@code dst#<id>#person#lead#<leadId>}) and, after a try that may have created it, found
 * by its exact name (and phone), without email, added since the lead's first try. The Pipedrive lead's title ends with
 * {@code [LeadSync <leadId>]}, so a delivery taking over a crashed one's claim finds a lead that was created but not
 * recorded ({@code GET /v1/leads?person_id=}).
 *
 * <p>Config: secret {@code apiToken} (header {@code x-api-token}) or secrets {@code accessToken} + {@code refreshToken}
 * (OAuth, {@code Authorization: Bearer}); optional {@code apiDomain} (the company URL of the OAuth token answer),
 * else {@code quarkus.rest-client.pipedrive.url}; optional {@code ownerId} (a Pipedrive user id) for all three.
 * fieldMapping targets: {@code name}, {@code email}, {@code phone}, {@code org} (the organization's name) or a custom
 * person field's key (its 40-character hash, sent in {@code custom_fields}).
 */
@ApplicationScoped
public class PipedriveDestination implements Destination {

    public static final String TYPE = "pipedrive";
    public static final String API_TOKEN = "apiToken";
    public static final String ACCESS_TOKEN = "accessToken";
    public static final String REFRESH_TOKEN = "refreshToken";
    public static final String API_DOMAIN = "apiDomain";
    public static final String OWNER_ID = "ownerId";

    static final String NAME = "name";
    static final String EMAIL = "email";
    static final String PHONE = "phone";
    static final String ORG = "org";
    private static final Set<String> STANDARD = Set.of(NAME, EMAIL, PHONE, ORG);
    /** A custom field's key: a 40-character hash (crm.md §A.4). */
    private static final Pattern CUSTOM_FIELD_KEY = Pattern.compile("[0-9a-f]{40}");

    static final FieldMapper FIELDS = new FieldMapper(defaultMapping());

    /** How far Pipedrive's clock (a person's {@code add_time}) may be behind ours. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(2);

    /** Essential-plan API-token burst limit: 20 requests per 2 s (search: 10); a delivery makes up to 5 calls. */
    static final Pace PACE = Pace.of(20, Duration.ofSeconds(2)).withRequestsPerSend(5);

    private final CrmTokens tokens;
    private final CrmLinks links;
    private final OutboundHttp http;
    private final UrlPolicy urls;
    private final ObjectMapper json;
    private final Clock clock;
    private final String defaultBaseUrl;
    private final Duration claimWait;

    @Inject
    public PipedriveDestination(CrmTokens tokens, CrmLinks links, OutboundHttp http, UrlPolicy urls, ObjectMapper json,
            Clock clock,
            @ConfigProperty(name = "quarkus.rest-client.pipedrive.url", defaultValue = "https://api.pipedrive.com")
            String defaultBaseUrl) {
        this(tokens, links, http, urls, json, clock, defaultBaseUrl, CreateOnce.WAIT);
    }

    /** @param claimWait how long a delivery waits for another's record; tests shorten it */
    PipedriveDestination(CrmTokens tokens, CrmLinks links, OutboundHttp http, UrlPolicy urls, ObjectMapper json,
            Clock clock, String defaultBaseUrl, Duration claimWait) {
        this.tokens = tokens;
        this.links = links;
        this.http = http;
        this.urls = urls;
        this.json = json;
        this.clock = clock;
        this.defaultBaseUrl = trimSlash(defaultBaseUrl);
        this.claimWait = claimWait;
    }

    private static Map<String, String> defaultMapping() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("email", EMAIL);
        m.put("fullName", NAME);
        m.put("phoneNumber", PHONE);
        m.put("company", ORG);
        return m;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of(API_TOKEN, ACCESS_TOKEN, REFRESH_TOKEN);
    }

    @Override
    public Set<String> endpointKeys() {
        return Set.of(API_DOMAIN);
    }

    @Override
    public List<String> validate(DeliveryTarget target) {
        List<String> problems = new ArrayList<>();
        String apiToken = blankToNull(target.config(API_TOKEN));
        String accessToken = blankToNull(target.config(ACCESS_TOKEN));
        String refreshToken = blankToNull(target.config(REFRESH_TOKEN));
        if (apiToken == null && accessToken == null) {
            problems.add("config.apiToken (a Pipedrive API token) or config.accessToken with config.refreshToken "
                    + "(OAuth) is required");
        } else if (apiToken != null && (accessToken != null || refreshToken != null)) {
            problems.add("config.apiToken and config.accessToken/refreshToken exclude each other: give one of them");
        } else if (accessToken == null && refreshToken != null) {
            problems.add("config.refreshToken needs config.accessToken");
        }
        for (String key : List.of(API_TOKEN, ACCESS_TOKEN, REFRESH_TOKEN)) {
            String value = blankToNull(target.config(key));
            if (value != null && value.chars().anyMatch(c -> c <= ' ')) {
                problems.add("config." + key + " must not contain spaces or line breaks");
            }
        }
        String apiDomain = blankToNull(target.config(API_DOMAIN));
        if (apiDomain != null && !isHttpUrl(apiDomain)) {
            problems.add("config.apiDomain must be the company's Pipedrive URL, e.g. https://acme.pipedrive.com");
        }
        String ownerId = blankToNull(target.config(OWNER_ID));
        if (ownerId != null && !ownerId.chars().allMatch(Character::isDigit)) {
            problems.add("config.ownerId must be a Pipedrive user id (digits)");
        }
        for (String field : new TreeSet<>(mappedCustomFields(target.fieldMapping()))) {
            if (!CUSTOM_FIELD_KEY.matcher(field).matches()) {
                problems.add("fieldMapping: '" + field + "' is not a Pipedrive person field; map to name, email, "
                        + "phone, org or a custom field's 40-character key (see GET /v1/personFields)");
            }
        }
        return problems;
    }

    @Override
    public Pace pace(DeliveryTarget target) {
        return PACE;
    }

    @Override
    public DeliveryReceipt send(DeliveryTarget target, StoredLead lead, DeliveryContext context)
            throws DeliveryException {
        requireCredentials(target);
        Map<String, String> fields = FIELDS.map(lead, target.fieldMapping());
        return tokens.withToken(tokenTarget(target), token -> deliver(target, client(target, token), lead, fields));
    }

    @Override
    public CheckReport check(DeliveryTarget target) throws DeliveryException {
        requireCredentials(target);
        List<String> mapped = new ArrayList<>(new TreeSet<>(mappedCustomFields(target.fieldMapping())));
        Set<String> known = tokens.withToken(tokenTarget(target), token -> client(target, token).personFieldKeys());
        return CheckReport.fields("Pipedrive", PipedriveClient.missing(known, mapped));
    }

    private DeliveryReceipt deliver(DeliveryTarget target, PipedriveClient client, StoredLead lead,
            Map<String, String> fields) throws DeliveryException {
        CreateOnce once = new CreateOnce(links, clock, claimWait);
        String prefix = "dst#" + target.targetId() + "#";
        String marker = titleMarker(lead);
        Long ownerId = number(target.config(OWNER_ID));
        String[] person = new String[1];
        String[] org = new String[1];

        Outcome leadOutcome = once.get(prefix + "lead#" + lead.leadId(), "lead", false,
                firstClaimAt -> client.findLeadOfPerson(person(once, client, prefix, lead, fields, ownerId, person,
                        org), marker),
                () -> {
                    String personId = person(once, client, prefix, lead, fields, ownerId, person, org);
                    ObjectNode body = client.object();
                    body.put("title", title(lead, fields) + " " + marker);
                    putId(body, "person_id", personId);
                    if (org[0] != null) {
                        putId(body, "organization_id", org[0]);
                    }
                    if (ownerId != null) {
                        body.put("owner_id", ownerId);
                    }
                    return client.createLead(body);
                });
        String detail = "Pipedrive lead " + leadOutcome.id() + (leadOutcome.created() ? " created" : " already created")
                + (person[0] == null ? "" : " for person " + person[0])
                + (org[0] == null ? "" : ", organization " + org[0]);
        return new DeliveryReceipt(leadOutcome.created() ? 201 : 200, detail);
    }

    /** The person's id (resolving the organization first, as the person links to it); cached in {@code person}. */
    private String person(CreateOnce once, PipedriveClient client, String prefix, StoredLead lead,
            Map<String, String> fields, Long ownerId, String[] person, String[] org) throws DeliveryException {
        if (person[0] != null) {
            return person[0];
        }
        String company = blankToNull(fields.get(ORG));
        if (company != null && org[0] == null) {
            org[0] = once.get(prefix + "org#" + Sha256.hex(company.toLowerCase(Locale.ROOT)), "organization", true,
                    firstClaimAt -> client.findOrganizationByName(company), () -> {
                        ObjectNode body = client.object();
                        body.put("name", company);
                        if (ownerId != null) {
                            body.put("owner_id", ownerId);
                        }
                        return client.createOrganization(body);
                    }).id();
        }
        String email = blankToNull(fields.get(EMAIL));
        ObjectNode body = personBody(client, lead, fields, ownerId, org[0]);
        if (email != null) {
            person[0] = once.get(prefix + "person#" + Sha256.hex(email.toLowerCase(Locale.ROOT)), "person", true,
                    firstClaimAt -> client.findPersonByEmail(email), () -> client.createPerson(body)).id();
        } else {
            // Nothing to search an email-less person by but what it was created with: only after an earlier try
            // (whose create may have reached Pipedrive), and only among persons added since this lead's first try.
            String name = body.path("name").asText();
            String phone = blankToNull(fields.get(PHONE));
            person[0] = once.get(prefix + "person#lead#" + lead.leadId(), "person", false,
                    firstClaimAt -> firstClaimAt == null ? null
                            : client.findPersonWithoutEmail(name, phone, firstClaimAt.minus(CLOCK_SKEW)),
                    () -> client.createPerson(body)).id();
        }
        return person[0];
    }

    private static ObjectNode personBody(PipedriveClient client, StoredLead lead, Map<String, String> fields,
            Long ownerId, String orgId) {
        ObjectNode body = client.object();
        body.put("name", personName(lead, fields));
        String email = blankToNull(fields.get(EMAIL));
        if (email != null) {
            body.set("emails", client.array().add(client.object().put("value", email).put("primary", true)
                    .put("label", "work")));
        }
        String phone = blankToNull(fields.get(PHONE));
        if (phone != null) {
            body.set("phones", client.array().add(client.object().put("value", phone).put("primary", true)
                    .put("label", "mobile")));
        }
        if (orgId != null) {
            putId(body, "org_id", orgId);
        }
        if (ownerId != null) {
            body.put("owner_id", ownerId);
        }
        ObjectNode custom = client.object();
        fields.forEach((key, value) -> {
            if (!STANDARD.contains(key)) {
                custom.put(key, value);
            }
        });
        if (!custom.isEmpty()) {
            body.set("custom_fields", custom);
        }
        return body;
    }

    /** Pipedrive requires a person's name: the mapped name, else first and last name, else the email. */
    static String personName(StoredLead lead, Map<String, String> fields) {
        String name = blankToNull(fields.get(NAME));
        if (name != null) {
            return name;
        }
        String joined = String.join(" ", nonBlank(lead.firstName(), lead.lastName())).trim();
        if (!joined.isEmpty()) {
            return joined;
        }
        String email = blankToNull(fields.get(EMAIL));
        return email != null ? email : Placeholders.NOT_PROVIDED;
    }

    /** "Ana García (meta_lead_ads lead)": the person's name or the email, and where the lead came from. */
    static String title(StoredLead lead, Map<String, String> fields) {
        String who = blankToNull(fields.get(NAME));
        if (who == null) {
            who = blankToNull(fields.get(EMAIL));
        }
        if (who == null) {
            who = personName(lead, fields);
        }
        String source = lead.providerType() == null ? "LeadSync" : lead.providerType().wireName();
        return who + " (" + source + " lead)";
    }

    /** Ends every lead title: what a delivery taking over a crashed one's claim looks for. */
    static String titleMarker(StoredLead lead) {
        return "[LeadSync " + lead.leadId() + "]";
    }

    private static List<String> mappedCustomFields(Map<String, String> fieldMapping) {
        List<String> out = new ArrayList<>();
        for (String target : fieldMapping.values()) {
            String t = target == null ? "" : target.trim();
            if (!t.isEmpty() && !STANDARD.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    private PipedriveClient client(DeliveryTarget target, String token) throws DeliveryException {
        if (token == null || token.isBlank()) {
            throw DeliveryException.permanent("the Pipedrive destination has no token", null);
        }
        String apiDomain = blankToNull(target.config(API_DOMAIN));
        String base = apiDomain == null ? defaultBaseUrl : trimSlash(apiDomain);
        Session session = isApiToken(target) ? new Session(base, "x-api-token", token.trim())
                : new Session(base, "Authorization", "Bearer " + token.trim());
        return new PipedriveClient(http, urls, json, session);
    }

    /**
     * What {@link CrmTokens} is handed: the OAuth tokens as configured, or the API token as an access token without a
     * refresh token (used as is; its rejection marks the destination {@code needs_reauth}).
     */
    static DeliveryTarget tokenTarget(DeliveryTarget target) {
        if (!isApiToken(target)) {
            return target;
        }
        Map<String, String> config = new HashMap<>(target.config());
        config.put(ACCESS_TOKEN, target.config(API_TOKEN).trim());
        config.remove(REFRESH_TOKEN);
        return new DeliveryTarget(target.targetId(), target.accountId(), target.type(), target.name(), target.enabled(),
                config, target.fieldMapping());
    }

    private static boolean isApiToken(DeliveryTarget target) {
        return blankToNull(target.config(API_TOKEN)) != null;
    }

    private static void requireCredentials(DeliveryTarget target) throws DeliveryException {
        if (blankToNull(target.config(API_TOKEN)) == null && blankToNull(target.config(ACCESS_TOKEN)) == null) {
            throw DeliveryException.permanent("config.apiToken or config.accessToken is missing", null);
        }
    }

    private static void putId(ObjectNode body, String field, String id) {
        Long n = number(id);
        if (n != null) {
            body.put(field, n);
        } else {
            body.put(field, id);
        }
    }

    private static Long number(String s) {
        String v = blankToNull(s);
        if (v == null || !v.chars().allMatch(Character::isDigit) || v.length() > 18) {
            return null;
        }
        return Long.parseLong(v);
    }

    static boolean isHttpUrl(String s) {
        try {
            URI uri = new URI(s.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static List<String> nonBlank(String... values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                out.add(v.trim());
            }
        }
        return out;
    }

    private static String trimSlash(String url) {
        String u = url.trim();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
