package com.leadsync.store;

import com.leadsync.delivery.Pace;
import com.leadsync.delivery.RateGate;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Rate limits in {@code RateLimitsTable}, one small item each, all expiring by TTL ({@code expiresAt}):
 * <ul>
 * <li>{@code w#<target>#<n>}: the permits taken in sub-window n. The window is cut into k fixed sub-windows,
 * each allowed {@code floor(requests / (k + 1))}: any rolling window overlaps at most k + 1 of them, so however
 * the CRM's window is aligned, it never sees more than {@code requests}. k is ten, or fewer when one send costs
 * more than a tenth of the budget (a Pipedrive delivery makes five calls), so that a sub-window holds a whole send. Taken with one conditional
 * {@code ADD}, so instances racing for the last permits cannot both get them.</li>
 * <li>{@code s#<target>#<k>}: concurrency slot k of {@code concurrent}, held by one send (conditional put) and
 * deleted after it; a crashed holder's slot frees itself when its lease ends.</li>
 * <li>{@code p#<target>}: {@code pausedUntil} (epoch ms) of a parked destination.</li>
 * </ul>
 */
@ApplicationScoped
public class RateGateStore implements RateGate {

    private static final Logger LOG = Logger.getLogger(RateGateStore.class);

    private static final int SUB_WINDOWS = 10;

    private final DynamoDbClient dynamo;
    private final TableNames tables;
    private final Duration slotLease;

    RateGateStore(DynamoDbClient dynamo, TableNames tables,
            @ConfigProperty(name = "leadsync.delivery.slot-lease") Duration slotLease) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.slotLease = slotLease;
    }

    @Override
    public Admission admit(String targetId, Pace pace, int permits, Instant now) {
        if (!pace.limited()) {
            // Nothing to keep, and nothing can park it (see Pace#limited): no read on every send.
            return Admission.granted(targetId, null);
        }
        Instant pausedUntil = pausedUntil(targetId);
        if (pausedUntil != null && pausedUntil.isAfter(now)) {
            return Admission.denied(targetId, pausedUntil, true);
        }
        if (pace.requests() > 0 && !pace.window().isZero()) {
            Instant next = takePermits(targetId, pace, permits, now);
            if (next != null) {
                return Admission.denied(targetId, next, false);
            }
        }
        if (pace.concurrent() > 0) {
            String slot = takeSlot(targetId, pace.concurrent(), now);
            if (slot == null) {
                // Slots are held for one send: look again shortly (the permits taken are spent, as a rate limit
                // must assume of a request it cannot take back).
                return Admission.denied(targetId, now.plusMillis(100 + ThreadLocalRandom.current().nextLong(200)),
                        false);
            }
            return Admission.granted(targetId, slot);
        }
        return Admission.granted(targetId, null);
    }

    /** Null when taken, else the start of the next sub-window. */
    private Instant takePermits(String targetId, Pace pace, int permits, Instant now) {
        int k = subWindows(pace.requests(), permits);
        // Rounded up: k cuts shorter than window / k would let one window touch k + 2 of them.
        long sub = Math.max(1, (pace.window().toMillis() + k - 1) / k);
        int budget = Math.max(1, pace.requests() / (k + 1));
        // Only a send costing more than half the whole budget can exceed a sub-window's: it takes a whole one.
        int n = Math.min(permits, budget);
        long index = now.toEpochMilli() / sub;
        Instant nextWindow = Instant.ofEpochMilli((index + 1) * sub);
        try {
            dynamo.updateItem(b -> b.tableName(tables.of(Schema.RATE_LIMITS))
                    .key(key("w#" + targetId + "#" + index))
                    .updateExpression("ADD used :n SET expiresAt = :exp")
                    .conditionExpression("attribute_not_exists(used) OR used <= :left")
                    .expressionAttributeValues(Attr.values(":n", Attr.n(n), ":left", Attr.n(budget - n),
                            ":exp", Attr.n(nextWindow.plus(pace.window()).getEpochSecond() + 60))));
            return null;
        } catch (ConditionalCheckFailedException full) {
            return nextWindow;
        }
    }

    /** How many sub-windows a window of {@code requests} is cut into so that each holds sends of {@code permits}. */
    static int subWindows(int requests, int permits) {
        return Math.max(1, Math.min(SUB_WINDOWS, requests / Math.max(1, permits) - 1));
    }

    private String takeSlot(String targetId, int concurrent, Instant now) {
        int first = ThreadLocalRandom.current().nextInt(concurrent);
        String owner = UUID.randomUUID().toString();
        Instant until = now.plus(slotLease);
        for (int i = 0; i < concurrent; i++) {
            String slot = "s#" + targetId + "#" + ((first + i) % concurrent);
            try {
                dynamo.putItem(b -> b.tableName(tables.of(Schema.RATE_LIMITS))
                        .item(Map.of("limitKey", Attr.s(slot), "owner", Attr.s(owner),
                                "leaseUntil", Attr.n(until.toEpochMilli()),
                                "expiresAt", Attr.n(until.getEpochSecond() + 60)))
                        .conditionExpression("attribute_not_exists(limitKey) OR leaseUntil < :now")
                        .expressionAttributeValues(Attr.values(":now", Attr.n(now.toEpochMilli()))));
                return slot + "|" + owner;
            } catch (ConditionalCheckFailedException taken) {
                // the next slot
            }
        }
        return null;
    }

    @Override
    public void release(Admission admission) {
        if (admission.slot() == null) {
            return;
        }
        int bar = admission.slot().lastIndexOf('|');
        String slot = admission.slot().substring(0, bar);
        String owner = admission.slot().substring(bar + 1);
        try {
            dynamo.deleteItem(b -> b.tableName(tables.of(Schema.RATE_LIMITS)).key(key(slot))
                    .conditionExpression("#o = :me")
                    .expressionAttributeNames(Map.of("#o", "owner"))
                    .expressionAttributeValues(Attr.values(":me", Attr.s(owner))));
        } catch (ConditionalCheckFailedException expired) {
            // Our lease ran out and someone else holds the slot now: theirs to free.
        } catch (RuntimeException unreachable) {
            // After a send: its outcome must still be recorded. The slot frees itself when its lease ends.
            LOG.warnf("could not free concurrency slot %s (it frees itself within its lease): %s", slot,
                    unreachable.toString());
        }
    }

    @Override
    public void pause(String targetId, Instant until) {
        // Only ever extended: a shorter pause reported late must not cut a longer one short.
        try {
            dynamo.updateItem(b -> b.tableName(tables.of(Schema.RATE_LIMITS)).key(key("p#" + targetId))
                    .updateExpression("SET pausedUntil = :until, expiresAt = :exp")
                    .conditionExpression("attribute_not_exists(pausedUntil) OR pausedUntil < :until")
                    .expressionAttributeValues(Attr.values(":until", Attr.n(until.toEpochMilli()),
                            ":exp", Attr.n(until.getEpochSecond() + 3600))));
        } catch (ConditionalCheckFailedException longer) {
            // already paused for longer
        }
    }

    private Instant pausedUntil(String targetId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.of(Schema.RATE_LIMITS))
                .key(key("p#" + targetId)).consistentRead(true)).item();
        Long until = item == null ? null : Attr.numOrNull(item, "pausedUntil");
        return until == null ? null : Instant.ofEpochMilli(until);
    }

    private static Map<String, AttributeValue> key(String limitKey) {
        return Map.of("limitKey", Attr.s(limitKey));
    }
}
