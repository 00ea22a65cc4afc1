package io.platform.api.auth.serviceaccount;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The user and group names of ServiceAccounts, as Kubernetes' serviceaccount package makes and splits them. */
public final class ServiceAccountNames {

    /** Every ServiceAccount's user name starts with this. */
    public static final String USER_PREFIX = "system:serviceaccount:";
    /** The group of all ServiceAccounts. */
    public static final String ALL_GROUP = "system:serviceaccounts";

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private ServiceAccountNames() {}

    /** {@code system:serviceaccount:NS:NAME}. */
    public static String username(String namespace, String name) {
        return USER_PREFIX + namespace + ":" + name;
    }

    /** {@code system:serviceaccounts} and {@code system:serviceaccounts:NS}. */
    public static List<String> groups(String namespace) {
        return List.of(ALL_GROUP, ALL_GROUP + ":" + namespace);
    }

    /**
     * The namespace and name of a ServiceAccount user name, as upstream's SplitUsername: exactly two parts after the
     * prefix, a valid namespace name (DNS label) and ServiceAccount name (DNS subdomain); empty for any other name.
     */
    public static Optional<List<String>> split(String username) {
        if (!username.startsWith(USER_PREFIX)) {
            return Optional.empty();
        }
        String[] parts = username.substring(USER_PREFIX.length()).split(":", -1);
        if (parts.length != 2 || !DNS_LABEL.matcher(parts[0]).matches() || parts[1].length() > 253
                || !DNS_SUBDOMAIN.matcher(parts[1]).matches()) {
            return Optional.empty();
        }
        return Optional.of(List.of(parts[0], parts[1]));
    }
}
