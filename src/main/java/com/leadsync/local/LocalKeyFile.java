package com.leadsync.local;

import com.leadsync.crypto.AesGcm;
import com.leadsync.crypto.DataKey;
import com.leadsync.crypto.DataKeys;
import com.leadsync.crypto.SealedValueUnreadable;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Local mode's master key: 32 random bytes in {@code <data dir>/secrets.key} (or {@code leadsync.local.key-file}),
 * created on first start readable by its owner only (mode 600) and reused on every later start. Like KMS, it only
 * wraps data keys: each start seals with a fresh data key wrapped under it ({@code nonce || AES-GCM}). Without a
 * data dir (tables in memory) the master key lives in memory too.
 */
@Singleton
public class LocalKeyFile implements DataKeys {

    private static final Logger LOG = Logger.getLogger(LocalKeyFile.class);
    static final String FILE_NAME = "secrets.key";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final byte[] WRAP_AAD = "leadsync-local-data-key".getBytes(StandardCharsets.UTF_8);

    private final byte[] master;
    private final DataKey current;

    LocalKeyFile(@ConfigProperty(name = "leadsync.local.key-file") Optional<String> keyFile,
            @ConfigProperty(name = "leadsync.local.data-dir") Optional<String> dataDir) {
        Optional<Path> path = keyFile.filter(f -> !f.isBlank()).map(Path::of)
                .or(() -> dataDir.filter(d -> !d.isBlank()).map(d -> Path.of(d, FILE_NAME)));
        if (path.isPresent()) {
            master = loadOrCreate(path.get());
        } else {
            LOG.info("no local data dir: secrets are sealed with a key that lives as long as this process");
            master = AesGcm.randomBytes(AesGcm.KEY_BYTES);
        }
        current = wrap(AesGcm.randomBytes(AesGcm.KEY_BYTES));
    }

    /** The key at {@code path}, created (mode 600) if there is none yet. */
    static byte[] loadOrCreate(Path path) {
        try {
            if (!Files.exists(path)) {
                create(path);
            }
            byte[] key = Files.readAllBytes(path);
            if (key.length != AesGcm.KEY_BYTES) {
                throw new IllegalStateException(path + " is not a LeadSync key file (" + key.length + " bytes, not "
                        + AesGcm.KEY_BYTES + "); move it away only if nothing was stored with it");
            }
            tightenPermissions(path);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("the local key file " + path + " could not be read or created", e);
        }
    }

    /** Written in full under another name first, then moved in place: a crash never leaves half a key. */
    private static void create(Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(path.getFileName() + "." + UUID.randomUUID() + ".tmp");
        if (posix(dir)) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(tmp);
        }
        try {
            Files.write(tmp, AesGcm.randomBytes(AesGcm.KEY_BYTES));
            Files.move(tmp, path);
            LOG.infof("created the local key file %s (mode 600): keep it with the data dir", path);
        } catch (FileAlreadyExistsException raced) {
            // Another process started at the same moment and won: use its key.
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void tightenPermissions(Path path) throws IOException {
        if (posix(path) && !Files.getPosixFilePermissions(path).equals(OWNER_ONLY)) {
            LOG.warnf("the local key file %s was readable by others: made it owner-only (600)", path);
            Files.setPosixFilePermissions(path, OWNER_ONLY);
        }
    }

    private static boolean posix(Path existing) throws IOException {
        return Files.getFileStore(existing).supportsFileAttributeView("posix");
    }

    private DataKey wrap(byte[] key) {
        byte[] nonce = AesGcm.randomBytes(AesGcm.NONCE_BYTES);
        byte[] sealed = AesGcm.encrypt(master, nonce, key, WRAP_AAD);
        byte[] wrapped = Arrays.copyOf(nonce, nonce.length + sealed.length);
        System.arraycopy(sealed, 0, wrapped, nonce.length, sealed.length);
        return new DataKey(key, wrapped);
    }

    @Override
    public String keyRef() {
        return "local";
    }

    @Override
    public DataKey current() {
        return current;
    }

    @Override
    public byte[] unwrap(byte[] wrapped) {
        if (wrapped.length <= AesGcm.NONCE_BYTES) {
            throw new SealedValueUnreadable("a wrapped local data key is too short");
        }
        try {
            return AesGcm.decrypt(master, Arrays.copyOf(wrapped, AesGcm.NONCE_BYTES),
                    Arrays.copyOfRange(wrapped, AesGcm.NONCE_BYTES, wrapped.length), WRAP_AAD);
        } catch (AEADBadTagException e) {
            throw new SealedValueUnreadable("a value was sealed under another local key file than this one", e);
        }
    }
}
