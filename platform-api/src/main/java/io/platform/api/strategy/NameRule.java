package io.platform.api.strategy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The DNS name rules of Kubernetes object names, with apimachinery's messages. */
public enum NameRule {
    DNS_SUBDOMAIN(253, "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*",
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"),
    DNS_LABEL(63, "[a-z0-9]([-a-z0-9]*[a-z0-9])?",
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"),
    DNS_1035_LABEL(63, "[a-z]([-a-z0-9]*[a-z0-9])?",
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"),
    /** Any name usable as a URL path segment (events, leases of arbitrary holders). */
    PATH_SEGMENT(0, "[^/%]+", "may not contain '/' or '%'");

    private final int maxLength;
    private final Pattern pattern;
    private final String message;

    NameRule(int maxLength, String regex, String message) {
        this.maxLength = maxLength;
        this.pattern = Pattern.compile(regex);
        this.message = message;
    }

    /** The problems with {@code name}, each a message as upstream's IsDNS1123Subdomain returns. */
    public List<String> problems(String name) {
        List<String> problems = new ArrayList<>();
        if (name.equals(".") || name.equals("..")) {
            problems.add("may not be '" + name + "'");
            return problems;
        }
        if (maxLength > 0 && name.length() > maxLength) {
            problems.add("must be no more than " + maxLength + " characters");
        }
        if (!pattern.matcher(name).matches()) {
            problems.add(message);
        }
        return problems;
    }
}
