package com.leadsync.flow;

import com.leadsync.delivery.DeliveryTarget;
import com.leadsync.delivery.DestinationConfig;
import com.leadsync.delivery.DestinationRepository;
import com.leadsync.delivery.RoutedTargets;
import com.leadsync.delivery.Subscription;
import com.leadsync.flow.FlowResult.Outcome;
import com.leadsync.ingest.IngestLookups;
import com.leadsync.model.StoredLead;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs an account's flows on each new lead and turns their {@code deliver} and {@code webhook} steps into deliveries
 * ({@link RoutedTargets}). A run is recorded once per (lead, flow) before any of its deliveries exists, so a lead
 * redelivered after a crash finds its runs and routes the same way, whatever was edited meanwhile; a duplicate lead is
 * never dispatched, so never run. Each delivery is named by {@link FlowKey} (flow, version, step) and resolved through
 * that version, which never changes: an edit or a delete leaves an already routed lead's sends as they were.
 */
@ApplicationScoped
public class FlowRouting implements RoutedTargets {

    private static final Logger LOG = Logger.getLogger(FlowRouting.class);

    private final AccountFlows flows;
    private final FlowRunRepository runs;
    private final DestinationRepository destinations;
    private final IngestLookups lookups;
    private final Clock clock;
    private final String defaultRegion;

    FlowRouting(AccountFlows flows, FlowRunRepository runs, DestinationRepository destinations,
            IngestLookups lookups, Clock clock,
            @ConfigProperty(name = "leadsync.default-phone-region") String defaultRegion) {
        this.flows = flows;
        this.runs = runs;
        this.destinations = destinations;
        this.lookups = lookups;
        this.clock = clock;
        this.defaultRegion = defaultRegion;
    }

    @Override
    public boolean owns(String key) {
        return FlowKey.isKey(key);
    }

    @Override
    public List<Route> route(StoredLead lead) {
        List<Flow> all = flows.of(lead.accountId());
        if (all.isEmpty()) {
            return List.of();
        }
        // Runs recorded by an earlier delivery of this lead stand, even for a flow disabled or edited since.
        List<FlowRun> recorded = new ArrayList<>(runs.forLead(lead.leadId()));
        Set<String> ran = new HashSet<>();
        recorded.forEach(r -> ran.add(r.flowId()));
        String region = null;
        Map<String, Optional<DestinationConfig>> seen = new HashMap<>();
        for (Flow flow : all) {
            if (!flow.enabled() || ran.contains(flow.flowId()) || !flow.trigger().matches(lead)) {
                continue;
            }
            if (region == null) {
                region = lookups.defaultRegion(lead.accountId()).orElse(defaultRegion);
            }
            recorded.add(runs.putIfAbsent(run(flow, lead, region, seen)));
        }
        return routes(recorded, seen);
    }

    @Override
    public List<Route> routed(StoredLead lead) {
        return routes(runs.forLead(lead.leadId()), new HashMap<>());
    }

    @Override
    public Optional<DeliveryTarget> find(String key) {
        Optional<Located> found = located(key);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Flow flow = found.get().flow();
        Step step = found.get().step();
        if (step instanceof Step.Deliver d) {
            // Sent through the destination: its tokens, its rate limit and its type; the step's mapping if it has one.
            return destinations.get(d.destinationId()).filter(c -> c.accountId().equals(flow.accountId()))
                    .map(DestinationConfig::target)
                    .map(t -> d.fieldMapping() == null ? t : new DeliveryTarget(t.targetId(), t.accountId(), t.type(),
                            t.name(), t.enabled(), t.config(), d.fieldMapping()));
        }
        if (step instanceof Step.Webhook w) {
            Map<String, String> config = new HashMap<>();
            config.put(Subscription.CALLBACK_URL, w.url());
            if (w.secret() != null) {
                config.put(Subscription.CALLBACK_SECRET, w.secret());
            }
            return Optional.of(new DeliveryTarget(key, flow.accountId(), Subscription.TARGET_TYPE,
                    "flow " + flow.name() + " " + found.get().key().path(), true, config, Map.of()));
        }
        return Optional.empty();
    }

    @Override
    public Optional<Described> describe(String key) {
        return located(key).map(l -> new Described(l.key().flowId(), l.key().version(), l.key().path(),
                l.step() instanceof Step.Deliver d ? d.destinationId() : null,
                l.step() instanceof Step.Webhook w ? w.url() : null));
    }

    /** A flow delivery's key with the flow version and the step it names. */
    private record Located(FlowKey key, Flow flow, Step step) {
    }

    private Optional<Located> located(String key) {
        return FlowKey.parse(key).flatMap(k -> flows.version(k.flowId(), k.version())
                .flatMap(f -> FlowSteps.at(f.steps(), k.path()).map(step -> new Located(k, f, step))));
    }

    @Override
    public Optional<StoredLead> leadFor(String leadId, String key) {
        Optional<FlowKey> parsed = FlowKey.parse(key);
        return parsed.flatMap(k -> runs.forLead(leadId).stream()
                .filter(r -> r.flowId().equals(k.flowId()) && r.flowVersion() == k.version())
                .findFirst()).map(FlowRun::lead);
    }

    private FlowRun run(Flow flow, StoredLead lead, String region, Map<String, Optional<DestinationConfig>> seen) {
        FlowResult result = FlowEngine.run(flow, lead, region);
        List<StepTaken> steps = new ArrayList<>(result.steps());
        Outcome outcome = result.outcome();
        // A destination deleted (or moved) since the flow was written: the run says so, its other sends still go.
        List<FlowAction> actions = new ArrayList<>();
        for (FlowAction a : result.actions()) {
            if (a.kind() == FlowAction.Kind.DELIVER && destination(a.destinationId(), seen)
                    .filter(c -> c.accountId().equals(flow.accountId())).isEmpty()) {
                steps.add(new StepTaken(a.path(), "deliver", "failed",
                        "destination " + a.destinationId() + " no longer exists"));
                outcome = Outcome.FAILED;
                continue;
            }
            actions.add(a);
        }
        LOG.debugf("flow %s v%d on lead %s: %s, %d delivery(ies)", flow.flowId(), flow.version(), lead.leadId(),
                outcome.wireName(), actions.size());
        return new FlowRun(flow.flowId(), flow.version(), lead.leadId(), lead.accountId(), outcome, steps, actions,
                actions.isEmpty() ? null : result.lead(), clock.instant());
    }

    /** The destination, read once per routing however many steps deliver to it. */
    private Optional<DestinationConfig> destination(String id, Map<String, Optional<DestinationConfig>> seen) {
        return seen.computeIfAbsent(id, destinations::get);
    }

    private List<Route> routes(List<FlowRun> recorded, Map<String, Optional<DestinationConfig>> seen) {
        List<Route> routes = new ArrayList<>();
        for (FlowRun run : recorded) {
            for (FlowAction a : run.actions()) {
                String key = new FlowKey(run.flowId(), run.flowVersion(), a.path()).key();
                String type = a.kind() == FlowAction.Kind.WEBHOOK ? Subscription.TARGET_TYPE
                        : destination(a.destinationId(), seen).map(DestinationConfig::type).orElse("deleted");
                routes.add(new Route(key, type));
            }
        }
        return routes;
    }
}
