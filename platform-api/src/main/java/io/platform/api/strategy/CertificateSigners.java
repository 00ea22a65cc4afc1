package io.platform.api.strategy;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.authorization.Attributes;
import io.platform.api.authorization.Authorizer;

/**
 * Permissions on certificates.k8s.io {@code signers}, as upstream's IsAuthorizedForSignerName: a verb
 * ({@code approve}, {@code sign}) granted on the signer's own name, or on every signer of its domain
 * ({@code example.com/*}).
 */
final class CertificateSigners {

    static final String GROUP = "certificates.k8s.io";
    static final String CSRS = "certificatesigningrequests";

    private CertificateSigners() {}

    static boolean authorized(Authorizer authorizer, AuthenticatedUser user, String verb, String signerName) {
        if (allowed(authorizer, user, verb, signerName)) {
            return true;
        }
        int slash = signerName.indexOf('/');
        return slash > 0 && allowed(authorizer, user, verb, signerName.substring(0, slash) + "/*");
    }

    private static boolean allowed(Authorizer authorizer, AuthenticatedUser user, String verb, String name) {
        return authorizer.decide(Attributes.resource(user, verb, GROUP, "", "signers", "", "", name)).allowed();
    }
}
