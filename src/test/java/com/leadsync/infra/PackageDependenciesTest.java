package com.leadsync.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house's dependency rules, read from the imports of {@code src/main/java}: no package cycles, model records
 * that import nothing of ours, and a domain that declares the repositories and queues it needs rather than using
 * {@code store/} and {@code queue/} (which implement them).
 */
class PackageDependenciesTest {

    private static final Path MAIN = Path.of("src/main/java/com/leadsync");
    private static final Pattern PACKAGE = Pattern.compile("^package com\\.leadsync\\.([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?com\\.leadsync\\.([a-z][\\w]*(?:\\.[a-z]\\w*)*)\\.[A-Z]",
            Pattern.MULTILINE);
    private static final List<String> DOMAIN = List.of("account", "connect", "delivery", "event", "imports",
            "flow", "ingest", "lead", "poll", "source", "walk");

    private static Map<String, Set<String>> uses;

    @BeforeAll
    static void readImports() throws IOException {
        uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                String code = read(f);
                Matcher p = PACKAGE.matcher(code);
                if (!p.find()) {
                    return;
                }
                Set<String> used = uses.computeIfAbsent(p.group(1), k -> new TreeSet<>());
                Matcher i = IMPORT.matcher(code);
                while (i.find()) {
                    if (!i.group(1).equals(p.group(1))) {
                        used.add(i.group(1));
                    }
                }
            });
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> reachable(String from) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(uses.getOrDefault(from, Set.of()));
        while (!todo.isEmpty()) {
            String next = todo.pop();
            if (seen.add(next)) {
                todo.addAll(uses.getOrDefault(next, Set.of()));
            }
        }
        return seen;
    }

    private static boolean inDomain(String pkg) {
        return DOMAIN.stream().anyMatch(d -> pkg.equals(d) || pkg.startsWith(d + "."));
    }

    @Test
    void no_package_depends_on_itself_through_others() {
        assertThat(uses.keySet()).as("packages read").contains("model", "source", "store");
        assertThat(uses.keySet()).allSatisfy(pkg -> assertThat(reachable(pkg)).as("%s reaches itself", pkg)
                .doesNotContain(pkg));
    }

    @Test
    void model_records_import_nothing_of_ours() {
        assertThat(uses.get("model")).isEmpty();
    }

    @Test
    void the_domain_declares_its_repositories_and_queues_instead_of_using_store_and_queue() {
        uses.forEach((pkg, used) -> {
            if (inDomain(pkg)) {
                assertThat(used).as("%s uses", pkg).doesNotContain("store", "queue", "api", "functions", "local");
            }
        });
    }

    @Test
    void nothing_outside_local_mode_depends_on_it() {
        uses.forEach((pkg, used) -> {
            if (!pkg.equals("local")) {
                assertThat(used).as("%s uses", pkg).doesNotContain("local");
            }
        });
    }
}
