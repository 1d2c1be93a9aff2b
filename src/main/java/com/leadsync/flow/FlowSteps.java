package com.leadsync.flow;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Steps by their path ({@code steps[1].then[0]}), the names runs and deliveries give them. */
public final class FlowSteps {

    private static final Pattern SEGMENT = Pattern.compile("(steps|then|else)\\[(\\d{1,4})]");

    private FlowSteps() {
    }

    public static Optional<Step> at(List<Step> steps, String path) {
        String[] segments = path.split("\\.");
        List<Step> level = steps;
        Step found = null;
        for (int i = 0; i < segments.length; i++) {
            Matcher m = SEGMENT.matcher(segments[i]);
            if (!m.matches() || (i == 0) != m.group(1).equals("steps")) {
                return Optional.empty();
            }
            if (i > 0) {
                if (!(found instanceof Step.Branch b)) {
                    return Optional.empty();
                }
                level = m.group(1).equals("then") ? b.then() : b.otherwise();
            }
            int index = Integer.parseInt(m.group(2));
            if (index >= level.size()) {
                return Optional.empty();
            }
            found = level.get(index);
        }
        return Optional.ofNullable(found);
    }
}
