package com.leadsync.testing;

import com.leadsync.lead.PipelineProbe;
import io.quarkus.test.Mock;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection: once armed for a step and a key, the next time the pipeline reaches that step for that
 * key it dies, as if the process had been killed there (an Error: nothing in the pipeline catches it, so
 * no lease is released and no record is written). It can also run an action there once, to put a concurrent
 * request at that exact point of a race.
 */
@Mock
@ApplicationScoped
public class CrashingProbe extends PipelineProbe {

    public static final class InjectedCrash extends Error {
        InjectedCrash(String where) {
            super("injected crash after " + where);
        }
    }

    private static final Map<String, AtomicInteger> ARMED = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> FIRED = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> SKIPS = new ConcurrentHashMap<>();
    private static final Map<String, Runnable> ACTIONS = new ConcurrentHashMap<>();

    /** Crash the next {@code times} times {@code step} is reached for a key starting with {@code keyPrefix}. */
    public static void arm(String step, String keyPrefix, int times) {
        arm(step, keyPrefix, times, 0);
    }

    /** The same, letting the first {@code skip} of those times pass (e.g. to crash after a walk's second page). */
    public static void arm(String step, String keyPrefix, int times, int skip) {
        SKIPS.put(step + "|" + keyPrefix, new AtomicInteger(skip));
        ARMED.put(step + "|" + keyPrefix, new AtomicInteger(times));
        FIRED.put(step + "|" + keyPrefix, new AtomicInteger());
    }

    /**
     * The next time {@code step} is reached for a key starting with {@code keyPrefix}, {@code action} runs there,
     * on the pipeline's thread (which waits for it), and the pipeline goes on.
     */
    public static void runOnce(String step, String keyPrefix, Runnable action) {
        ACTIONS.put(step + "|" + keyPrefix, action);
    }

    public static int fired(String step, String keyPrefix) {
        AtomicInteger n = FIRED.get(step + "|" + keyPrefix);
        return n == null ? 0 : n.get();
    }

    @Override
    public void reached(String step, String key) {
        ACTIONS.keySet().forEach(armedKey -> {
            int bar = armedKey.indexOf('|');
            if (armedKey.substring(0, bar).equals(step) && key.startsWith(armedKey.substring(bar + 1))) {
                Runnable action = ACTIONS.remove(armedKey);
                if (action != null) {
                    action.run();
                }
            }
        });
        ARMED.forEach((armedKey, remaining) -> {
            int bar = armedKey.indexOf('|');
            if (armedKey.substring(0, bar).equals(step) && key.startsWith(armedKey.substring(bar + 1))
                    && SKIPS.get(armedKey).getAndUpdate(n -> Math.max(0, n - 1)) == 0
                    && remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                FIRED.get(armedKey).incrementAndGet();
                throw new InjectedCrash(step + " for " + key);
            }
        });
    }
}
