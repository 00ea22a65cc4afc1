package io.platform.server.login;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The exec plugin's token cache: one owner-only JSON file per issuer and client under
 * {@code ~/.platform/cache/} (kubectl starts the plugin anew for every command).
 */
final class TokenCache {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path directory;

    TokenCache(Path directory) {
        this.directory = directory;
    }

    static Path defaultDirectory() {
        return Path.of(System.getProperty("user.home"), ".platform", "cache");
    }

    Optional<Tokens> load(String issuer, String clientId) {
        Path file = file(issuer, clientId);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(Files.readString(file));
            String idToken = node.path("id_token").asString(null);
            if (idToken == null) {
                return Optional.empty();
            }
            return Optional.of(new Tokens(idToken, node.path("refresh_token").asString(null)));
        } catch (IOException | RuntimeException e) {
            // An unreadable cache only costs a new sign-in.
            return Optional.empty();
        }
    }

    void save(String issuer, String clientId, Tokens tokens) {
        Path file = file(issuer, clientId);
        ObjectNode node = JSON.createObjectNode();
        node.put("issuer", issuer);
        node.put("client_id", clientId);
        node.put("id_token", tokens.idToken());
        if (tokens.refreshToken() != null) {
            node.put("refresh_token", tokens.refreshToken());
        }
        try {
            Files.createDirectories(directory);
            ownerOnly(directory, "rwx------");
            Path partial = Files.createTempFile(directory, "token", ".partial");
            ownerOnly(partial, "rw-------");
            Files.writeString(partial, JSON.writeValueAsString(node), StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the token cache " + file + ": " + e.getMessage(), e);
        }
    }

    void remove(String issuer, String clientId) {
        try {
            Files.deleteIfExists(file(issuer, clientId));
        } catch (IOException e) {
            throw new IllegalStateException("cannot remove the token cache " + file(issuer, clientId) + ": " + e.getMessage(), e);
        }
    }

    Path file(String issuer, String clientId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((issuer + "\n" + clientId).getBytes(StandardCharsets.UTF_8));
            return directory.resolve(HexFormat.of().formatHex(digest, 0, 16) + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK offers no SHA-256", e);
        }
    }

    private static void ownerOnly(Path path, String permissions) throws IOException {
        if (Files.getFileStore(path).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        }
    }
}
