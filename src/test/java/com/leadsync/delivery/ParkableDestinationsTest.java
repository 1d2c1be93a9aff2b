package com.leadsync.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rate gate is not asked for a target whose pace is unlimited (a read saved on every send), so a pause could not
 * hold it: every destination whose package can answer {@link DeliveryException#destinationRateLimited} declares a
 * limited pace.
 */
@QuarkusTest
class ParkableDestinationsTest {

    @Inject
    Destinations registry;

    @Test
    void every_destination_that_can_be_parked_declares_a_limited_pace() throws IOException {
        Set<String> parkable = new TreeSet<>();
        Path root = Path.of("src/main/java/com/leadsync/delivery");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (!f.getParent().equals(root) && Files.readString(f).contains("destinationRateLimited(")) {
                    parkable.add("com.leadsync.delivery." + root.relativize(f.getParent()).toString()
                            .replace('/', '.'));
                }
            }
        }
        assertThat(parkable).as("packages that park their destination")
                .contains("com.leadsync.delivery.hubspot", "com.leadsync.delivery.salesforce",
                        "com.leadsync.delivery.pipedrive");

        Set<String> checked = new TreeSet<>();
        for (String type : registry.types()) {
            Destination d = registry.find(type).orElseThrow();
            if (parkable.contains(d.getClass().getPackageName())) {
                DeliveryTarget bare = new DeliveryTarget("dst_pace", "acc_pace", type, "pace", true, Map.of(),
                        Map.of());
                assertThat(d.pace(bare).limited()).as(type + "'s pace").isTrue();
                checked.add(d.getClass().getPackageName());
            }
        }
        assertThat(checked).as("every parkable package has its destination registered").isEqualTo(parkable);
    }
}
