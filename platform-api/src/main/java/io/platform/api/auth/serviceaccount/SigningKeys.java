package io.platform.api.auth.serviceaccount;

import io.platform.common.periodic.PeriodicTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ServiceAccount signing keys in {@code <data-dir>/pki/sa-signing/}, one PKCS#8 PEM file per key named after
 * its creation time ({@code signing-<epoch millis>.key}). The first is made on first start. The newest key signs;
 * once it is {@code rotationPeriod} old a new one is made and takes over, as with kube-apiserver's several
 * {@code --service-account-key-file}s, and the older ones keep verifying. A retired key is deleted once every token
 * it can have signed has expired: it stopped signing when the next key was made, and no token lives longer than
 * {@code maxTokenLifetime} (plus the clock-skew leeway tokens are verified with).
 */
public final class SigningKeys implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
    private static final String PREFIX = "signing-";
    private static final String SUFFIX = ".key";
    private static final int KEY_BITS = 2048;

    private final Path dir;
    private final Clock clock;
    private final Duration rotationPeriod;
    private final Duration retention;
    /** Oldest first; replaced as a whole, so readers on the event loop never lock. */
    private volatile List<SigningKey> keys = List.of();
    private @Nullable PeriodicTask maintenance;

    SigningKeys(Path dir, Clock clock, Duration rotationPeriod, Duration maxTokenLifetime) {
        if (rotationPeriod.isNegative() || rotationPeriod.isZero()) {
            throw new IllegalArgumentException(
                    "platform.api.service-account.key-rotation-period must be positive, got " + rotationPeriod);
        }
        this.dir = dir;
        this.clock = clock;
        this.rotationPeriod = rotationPeriod;
        this.retention = maxTokenLifetime.plus(ServiceAccountTokenAuthenticator.LEEWAY);
    }

    /** The keys in {@code dir}, made or rotated as due. */
    public static SigningKeys open(Path dir, Clock clock, Duration rotationPeriod, Duration maxTokenLifetime) {
        SigningKeys signingKeys = new SigningKeys(dir, clock, rotationPeriod, maxTokenLifetime);
        signingKeys.maintain();
        return signingKeys;
    }

    /** Checks for rotation and retired keys every {@code interval} from now on, on a thread of its own. */
    public synchronized void startMaintenance(Duration interval) {
        maintenance = PeriodicTask.start("sa-signing-keys", "platform.api.service-account.key-check-interval",
                interval, this::maintain);
    }

    /** The key that signs new tokens. */
    public SigningKey signing() {
        return keys.getLast();
    }

    /** Every key tokens are verified with, oldest first. */
    public List<SigningKey> all() {
        return keys;
    }

    public Optional<SigningKey> find(String keyId) {
        return keys.stream().filter(key -> key.keyId().equals(keyId)).findFirst();
    }

    /** Reads the keys from disk, makes a new one when none is there or the newest is due for rotation, drops expired ones. */
    public synchronized void maintain() {
        Instant now = clock.instant();
        List<SigningKey> current = new ArrayList<>(load());
        if (current.isEmpty() || !now.isBefore(current.getLast().created().plus(rotationPeriod))) {
            SigningKey made = create(now, current.isEmpty() ? null : current.getLast().created());
            current.add(made);
            log.info("ServiceAccount signing key {} made in {}", made.keyId(), dir);
        }
        List<SigningKey> kept = new ArrayList<>();
        for (int i = 0; i < current.size(); i++) {
            SigningKey key = current.get(i);
            boolean newest = i == current.size() - 1;
            if (!newest && !now.isBefore(current.get(i + 1).created().plus(retention))) {
                delete(key);
                log.info("ServiceAccount signing key {} deleted: every token it signed has expired", key.keyId());
            } else {
                kept.add(key);
            }
        }
        keys = List.copyOf(kept);
    }

    private List<SigningKey> load() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<SigningKey> loaded = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
            for (Path file : files) {
                loaded.add(read(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        loaded.sort(Comparator.comparing(SigningKey::created));
        return loaded;
    }

    private static SigningKey read(Path file) {
        String name = file.getFileName().toString();
        Instant created;
        try {
            created = Instant.ofEpochMilli(Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length())));
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + " is not named " + PREFIX + "<epoch millis>" + SUFFIX, e);
        }
        try {
            String pem = Files.readString(file, StandardCharsets.US_ASCII);
            StringBuilder base64 = new StringBuilder();
            pem.lines().filter(line -> !line.startsWith("-----")).forEach(base64::append);
            KeyFactory factory = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) factory.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(base64.toString())));
            RSAPublicKey publicKey = (RSAPublicKey) factory.generatePublic(
                    new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
            return new SigningKey(SigningKey.keyId(publicKey), created, privateKey, publicKey);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException(file + " holds no unencrypted PKCS#8 RSA private key: " + e.getMessage(), e);
        }
    }

    /** A new key created at {@code now}, or just after the newest when the clock stands behind it. */
    private SigningKey create(Instant now, @Nullable Instant newest) {
        Instant created = newest != null && !now.isAfter(newest) ? newest.plusMillis(1) : now;
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(KEY_BITS);
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make an RSA key", e);
        }
        RSAPrivateKey privateKey = (RSAPrivateKey) pair.getPrivate();
        RSAPublicKey publicKey = (RSAPublicKey) pair.getPublic();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(privateKey.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        writePrivate(dir.resolve(PREFIX + created.toEpochMilli() + SUFFIX), pem);
        return new SigningKey(SigningKey.keyId(publicKey), created, privateKey, publicKey);
    }

    private void delete(SigningKey key) {
        try {
            Files.deleteIfExists(dir.resolve(PREFIX + key.created().toEpochMilli() + SUFFIX));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the retired signing key " + key.keyId() + " in " + dir, e);
        }
    }

    /** Through a temporary file created owner-only, so the key is never readable by others nor half written. */
    private void writePrivate(Path file, String content) {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        try {
            if (!Files.isDirectory(dir)) {
                if (posix) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(dir);
                }
            }
            Path temp = posix
                    ? Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                Files.writeString(temp, content, StandardCharsets.US_ASCII);
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    @Override
    public synchronized void close() {
        if (maintenance != null) {
            maintenance.close();
        }
    }
}
