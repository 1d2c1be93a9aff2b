package com.leadsync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.leadsync.crypto.EnvelopeCipher;
import com.leadsync.crypto.SealedValueUnreadable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local mode's key file: created on first start, owner-only, the same key on every later start. */
class LocalKeyFileTest {

    private static final String CONTEXT = "SubscriptionsTable/sub_1/callbackSecret";

    @TempDir
    Path dir;

    private LocalKeyFile start(Path dataDir) {
        return new LocalKeyFile(Optional.empty(), Optional.of(dataDir.toString()));
    }

    @Test
    void the_first_start_creates_32_random_bytes_readable_by_the_owner_only() throws Exception {
        Path dataDir = dir.resolve("data");

        start(dataDir);

        Path file = dataDir.resolve("secrets.key");
        assertThat(Files.size(file)).isEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var left = Files.list(dataDir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("secrets.key");
        }
    }

    @Test
    void a_restart_reuses_the_key_and_opens_what_the_last_start_sealed() throws Exception {
        String sealed = new EnvelopeCipher(start(dir)).seal("whsec-local", CONTEXT);
        byte[] key = Files.readAllBytes(dir.resolve("secrets.key"));

        EnvelopeCipher restarted = new EnvelopeCipher(start(dir));

        assertThat(Files.readAllBytes(dir.resolve("secrets.key"))).isEqualTo(key);
        assertThat(restarted.open(sealed, CONTEXT)).isEqualTo("whsec-local");
        assertThat(restarted.seal("whsec-local", CONTEXT)).startsWith("enc:v1:local:")
                .isNotEqualTo(sealed); // each start seals with a data key of its own
    }

    @Test
    void another_data_dirs_key_does_not_open_the_value() {
        String sealed = new EnvelopeCipher(start(dir.resolve("a"))).seal("whsec-local", CONTEXT);

        assertThatThrownBy(() -> new EnvelopeCipher(start(dir.resolve("b"))).open(sealed, CONTEXT))
                .isInstanceOf(SealedValueUnreadable.class).hasMessageNotContaining("whsec-local");
    }

    @Test
    void a_key_file_readable_by_others_is_made_owner_only_and_a_wrong_one_is_refused() throws Exception {
        start(dir);
        Path file = dir.resolve("secrets.key");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        start(dir);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Files.write(file, new byte[7]);
        assertThatThrownBy(() -> start(dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a LeadSync key file");
    }

    @Test
    void an_explicit_key_file_wins_over_the_data_dir() {
        Path keyFile = dir.resolve("keys/mine.key");

        new LocalKeyFile(Optional.of(keyFile.toString()), Optional.of(dir.resolve("data").toString()));

        assertThat(keyFile).exists();
        assertThat(dir.resolve("data/secrets.key")).doesNotExist();
    }
}
