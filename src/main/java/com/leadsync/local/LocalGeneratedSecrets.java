package com.leadsync.local;

import com.leadsync.connect.oauth.GeneratedSecrets;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Local mode's generated secrets: one file per name under {@code <data dir>/secrets/} (mode 600), made on first use
 * and read on every later start, so what they sign outlives a restart; without a data dir (tests), kept in memory.
 */
@ApplicationScoped
public class LocalGeneratedSecrets implements GeneratedSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Optional<Path> dir;
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    LocalGeneratedSecrets(@ConfigProperty(name = "leadsync.local.data-dir") Optional<String> dataDir) {
        this.dir = dataDir.filter(d -> !d.isBlank()).map(d -> Path.of(d, "secrets"));
    }

    @Override
    public String get(String name) {
        if (!name.matches("[a-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("not a secret name: " + name);
        }
        return cache.computeIfAbsent(name, this::load);
    }

    private String load(String name) {
        if (dir.isEmpty()) {
            return fresh();
        }
        Path file = dir.get().resolve(name);
        try {
            Files.createDirectories(dir.get());
            if (!Files.exists(file)) {
                // Written whole beside it, then moved into place: a crash never leaves an empty secret.
                Path made = Files.createTempFile(dir.get(), name, ".new", PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
                Files.writeString(made, fresh(), StandardCharsets.US_ASCII);
                try {
                    Files.move(made, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException madeMeanwhile) {
                    Files.deleteIfExists(made);
                }
            }
            String secret = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (secret.length() < 32) {
                throw new IllegalStateException(file + " is not a generated secret (shorter than 32 characters):"
                        + " delete it to have a new one made");
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep the local secret " + file, e);
        }
    }

    private static String fresh() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
