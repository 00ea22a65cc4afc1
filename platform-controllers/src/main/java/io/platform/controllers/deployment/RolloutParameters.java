package io.platform.controllers.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** A Deployment's strategy resolved to numbers, as upstream's deployment util. */
final class RolloutParameters {

    private RolloutParameters() {}

    static String strategyType(Deployment d) {
        return d.getSpec().getStrategy() == null || d.getSpec().getStrategy().getType() == null
                ? "RollingUpdate" : d.getSpec().getStrategy().getType();
    }

    static boolean isRecreate(Deployment d) {
        return "Recreate".equals(strategyType(d));
    }

    /** maxSurge resolved against replicas; percentages round up. */
    static int maxSurge(Deployment d) {
        if (isRecreate(d)) {
            return 0;
        }
        int[] fenceposts = fenceposts(d);
        return fenceposts[0];
    }

    /** maxUnavailable resolved against replicas; percentages round down; never more than replicas. */
    static int maxUnavailable(Deployment d) {
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        if (isRecreate(d) || replicas == 0) {
            return 0;
        }
        return Math.min(fenceposts(d)[1], replicas);
    }

    /** As upstream ResolveFenceposts: when both resolve to zero, maxUnavailable becomes 1. */
    private static int[] fenceposts(Deployment d) {
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        var rolling = d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
        IntOrString surge = rolling == null || rolling.getMaxSurge() == null ? new IntOrString("25%") : rolling.getMaxSurge();
        IntOrString unavailable = rolling == null || rolling.getMaxUnavailable() == null ? new IntOrString("25%") : rolling.getMaxUnavailable();
        int s = scaled(surge, replicas, true);
        int u = scaled(unavailable, replicas, false);
        if (s == 0 && u == 0) {
            u = 1;
        }
        return new int[] {s, u};
    }

    static int scaled(IntOrString value, int total, boolean roundUp) {
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String text = value.getStrVal();
        if (!text.endsWith("%")) {
            return Integer.parseInt(text);
        }
        double percent = Integer.parseInt(text.substring(0, text.length() - 1)) * total / 100.0;
        return (int) (roundUp ? Math.ceil(percent) : Math.floor(percent));
    }

    static int minReadySeconds(Deployment d) {
        return d.getSpec().getMinReadySeconds() == null ? 0 : d.getSpec().getMinReadySeconds();
    }
}
