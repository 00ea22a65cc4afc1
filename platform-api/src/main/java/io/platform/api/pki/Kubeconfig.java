package io.platform.api.pki;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Renders kubeconfig files with everything embedded (CA, client certificate and key as base64 of
 * their PEM), so a file works on its own wherever it is copied, as kubeadm's admin.conf does.
 */
public final class Kubeconfig {

    public static final String CLUSTER_NAME = "platform";

    private Kubeconfig() {}

    /**
     * One cluster ({@code platform}), one user ({@code userName}) and one context
     * ({@code <userName>@platform}) that is also the current context.
     */
    public static String render(String serverUrl, String caPem, String userName, IssuedCertificate cert) {
        String context = userName + "@" + CLUSTER_NAME;
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %1$s
                  cluster:
                    server: %2$s
                    certificate-authority-data: %3$s
                users:
                - name: %4$s
                  user:
                    client-certificate-data: %5$s
                    client-key-data: %6$s
                contexts:
                - name: %7$s
                  context:
                    cluster: %1$s
                    user: %4$s
                current-context: %7$s
                preferences: {}
                """.formatted(
                        quote(CLUSTER_NAME),
                        quote(serverUrl),
                        base64(caPem),
                        quote(userName),
                        base64(cert.certificatePem()),
                        base64(cert.kubeconfigKeyPem()),
                        quote(context));
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }

    // Double-quoted YAML scalars: names such as "system:node:host" contain colons.
    private static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
