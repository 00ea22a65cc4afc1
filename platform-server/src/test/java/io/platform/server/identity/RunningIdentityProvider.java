package io.platform.server.identity;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/** The built-in provider on a free loopback port over a test's data dir, as the launcher starts it. */
public final class RunningIdentityProvider implements AutoCloseable {

    private static final PasswordEncoder PASSWORDS = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    private final ConfigurableApplicationContext context;
    private final Path dataDir;
    private final String issuer;

    private RunningIdentityProvider(ConfigurableApplicationContext context, Path dataDir, String issuer) {
        this.context = context;
        this.dataDir = dataDir;
        this.issuer = issuer;
    }

    public static RunningIdentityProvider start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    /** {@code extra} overrides settings, e.g. {@code platform.identity.id-token-ttl}. */
    public static RunningIdentityProvider start(Path dataDir, Map<String, Object> extra) {
        int port = freePort();
        String issuer = IdentityProviderApplication.issuer("127.0.0.1", port);
        Map<String, Object> properties = new HashMap<>(IdentityProviderApplication.properties(dataDir, "127.0.0.1", port, issuer));
        properties.put("spring.main.banner-mode", "off");
        properties.putAll(extra);
        return new RunningIdentityProvider(IdentityProviderApplication.builder().properties(properties).run(), dataDir, issuer);
    }

    public String issuer() {
        return issuer;
    }

    public Path caFile() {
        return dataDir.resolve("pki").resolve("ca.crt");
    }

    /** Adds a local user as {@code platform users add} does. */
    public void addUser(String name, String password, List<String> groups) {
        LocalUsers.open(dataDir).add(name, PASSWORDS.encode(password), null, groups);
    }

    public boolean removeUser(String name) {
        return LocalUsers.open(dataDir).remove(name);
    }

    @Override
    public void close() {
        context.close();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
