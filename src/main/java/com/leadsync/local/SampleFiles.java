package com.leadsync.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The sample data the offline fakes answer from: one JSON object per file under {@code infra/events/<platform>/},
 * read on every request so that an edited or added sample shows at once.
 */
final class SampleFiles {

    /** What a file name may be built from: an id a request names never walks out of the samples folder. */
    private static final Pattern SAFE_NAME = Pattern.compile("[0-9A-Za-z_-]{1,200}");

    /** A sample file that exists but cannot be read or is not a JSON object. */
    static final class BrokenSample extends RuntimeException {
        BrokenSample(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private SampleFiles() {
    }

    static boolean isSafeName(String name) {
        return name != null && SAFE_NAME.matcher(name).matches();
    }

    /** Every {@code *.json} object directly in {@code dir}, by file name; none when the folder is missing. */
    static List<ObjectNode> all(ObjectMapper json, Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
                    .sorted().toList();
        } catch (IOException e) {
            throw new BrokenSample("cannot list " + dir + ": " + e.getMessage(), e);
        }
        List<ObjectNode> samples = new ArrayList<>();
        for (Path file : files) {
            samples.add(parse(json, file));
        }
        return samples;
    }

    /** {@code dir/<name>.json}, when {@code name} is a plain file name and the file exists. */
    static Optional<ObjectNode> one(ObjectMapper json, Path dir, String name) {
        if (!isSafeName(name)) {
            return Optional.empty();
        }
        Path file = dir.resolve(name + ".json");
        return Files.isRegularFile(file) ? Optional.of(parse(json, file)) : Optional.empty();
    }

    /** The bytes of {@code dir/<name>}, when {@code name} is a plain file name (an extension allowed). */
    static Optional<byte[]> bytes(Path dir, String name) {
        if (!isSafeName(name.replace(".", "_"))) {
            return Optional.empty();
        }
        Path file = dir.resolve(name);
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
        } catch (IOException e) {
            throw new BrokenSample("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static ObjectNode parse(ObjectMapper json, Path file) {
        JsonNode node;
        try {
            node = json.readTree(file.toFile());
        } catch (IOException e) {
            throw new BrokenSample("sample " + file + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!(node instanceof ObjectNode object)) {
            throw new BrokenSample("sample " + file + " must hold one JSON object", null);
        }
        return object;
    }
}
