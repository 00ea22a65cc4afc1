package io.platform.api.auth;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.SslInfo;

/**
 * The user of a client certificate the TLS layer already verified against the cluster CA: the subject's CN, the
 * groups its O values, as kube-apiserver's x509 authenticator.
 */
final class ClientCertificates {

    private ClientCertificates() {}

    /** The certificate's user with {@code system:authenticated}; null without a certificate or without a CN. */
    static @Nullable AuthenticatedUser user(@Nullable SslInfo sslInfo) {
        if (sslInfo == null) {
            return null;
        }
        X509Certificate[] chain = sslInfo.getPeerCertificates();
        if (chain == null || chain.length == 0) {
            return null;
        }
        try {
            String name = null;
            List<String> groups = new ArrayList<>();
            for (Rdn rdn : new LdapName(chain[0].getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    name = rdn.getValue().toString();
                } else if (rdn.getType().equalsIgnoreCase("O")) {
                    groups.add(rdn.getValue().toString());
                }
            }
            if (name == null || name.isEmpty()) {
                return null;
            }
            return new AuthenticatedUser(name, groups).withAuthenticatedGroup();
        } catch (InvalidNameException e) {
            return null;
        }
    }
}
