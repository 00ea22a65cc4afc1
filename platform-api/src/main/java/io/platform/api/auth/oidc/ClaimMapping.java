package io.platform.api.auth.oidc;

import io.platform.api.auth.AuthenticatedUser;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Turns a verified id_token's claims into a user as kube-apiserver's OIDC authenticator does: the user name from the
 * username claim with its prefix, groups from the groups claim with theirs, the required claims checked, and an
 * {@code email} user name only when {@code email_verified} is not false. Names in {@code system:} are refused: an
 * outside issuer must never mint the platform's own identities.
 */
final class ClaimMapping {

    static final String RESERVED_PREFIX = "system:";

    private final OidcProperties.Issuer issuer;
    private final String usernamePrefix;

    ClaimMapping(OidcProperties.Issuer issuer) {
        this.issuer = issuer;
        this.usernamePrefix = issuer.effectiveUsernamePrefix();
    }

    /** The user the claims stand for. */
    AuthenticatedUser user(Map<String, Object> claims) {
        for (Map.Entry<String, String> required : issuer.requiredClaims().entrySet()) {
            Object value = claims.get(required.getKey());
            if (value == null) {
                throw new InvalidClaims("required claim " + required.getKey() + " not present in ID token");
            }
            if (!required.getValue().equals(value.toString())) {
                throw new InvalidClaims("required claim " + required.getKey() + " value does not match. Got = "
                        + value + ", want = " + required.getValue());
            }
        }
        String claim = issuer.usernameClaim();
        Object username = claims.get(claim);
        if (!(username instanceof String name) || name.isEmpty()) {
            throw new InvalidClaims("parse username claims \"" + claim + "\": "
                    + (username == null ? "claim not present" : "not a non-empty string"));
        }
        if (claim.equals("email") && claims.containsKey("email_verified")) {
            // as upstream: an absent email_verified is accepted, a present one must be true
            if (!(claims.get("email_verified") instanceof Boolean verified)) {
                throw new InvalidClaims("parse 'email_verified' claim: not a boolean");
            }
            if (!verified) {
                throw new InvalidClaims("email not verified");
            }
        }
        String user = usernamePrefix + name;
        refuseReserved("username", user);
        List<String> groups = new ArrayList<>();
        for (String group : groups(claims)) {
            String prefixed = issuer.groupsPrefix() + group;
            refuseReserved("group", prefixed);
            groups.add(prefixed);
        }
        return new AuthenticatedUser(user, groups);
    }

    private List<String> groups(Map<String, Object> claims) {
        String claim = issuer.groupsClaim();
        Object value = claim == null ? null : claims.get(claim);
        if (value == null) {
            return List.of();
        }
        // as upstream: one group may come as a plain string
        if (value instanceof String group) {
            return List.of(group);
        }
        if (value instanceof Collection<?> values && values.stream().allMatch(String.class::isInstance)) {
            return values.stream().map(String.class::cast).toList();
        }
        throw new InvalidClaims("parse groups claim \"" + claim + "\": not a string or an array of strings");
    }

    private static void refuseReserved(String kind, String name) {
        if (name.startsWith(RESERVED_PREFIX)) {
            throw new InvalidClaims(kind + " \"" + name + "\" is refused: names starting with \"" + RESERVED_PREFIX
                    + "\" are reserved for the platform's own identities");
        }
    }

    /** A token whose claims do not make a user; the message is the reason TokenReviews show. */
    static final class InvalidClaims extends RuntimeException {

        InvalidClaims(String message) {
            super(message, null, false, false);
        }
    }
}
