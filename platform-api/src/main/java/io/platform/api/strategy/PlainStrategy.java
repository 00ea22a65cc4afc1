package io.platform.api.strategy;

/** Types without rules of their own beyond a DNS-1123 subdomain name (configmaps, leases, ...). */
final class PlainStrategy implements ResourceStrategy {

    @Override
    public boolean keepsStatusOnCreate() {
        return true;
    }
}
