package io.platform.scheduler.framework;

import java.util.List;

/**
 * The outcome of a plugin for one pod and node, as the scheduler framework's Status. The reasons
 * end up in the pod's {@code PodScheduled=False} condition and FailedScheduling event.
 */
public record Status(Code code, List<String> reasons) {

    public enum Code {
        SUCCESS,
        /** The node does not fit now; it might after other pods are removed. */
        UNSCHEDULABLE,
        /** The node does not fit and removing pods would not change that. */
        UNSCHEDULABLE_AND_UNRESOLVABLE,
        ERROR
    }

    private static final Status SUCCESS = new Status(Code.SUCCESS, List.of());

    public Status {
        reasons = List.copyOf(reasons);
    }

    public static Status success() {
        return SUCCESS;
    }

    public static Status unschedulable(String... reasons) {
        return new Status(Code.UNSCHEDULABLE, List.of(reasons));
    }

    public static Status unschedulable(List<String> reasons) {
        return new Status(Code.UNSCHEDULABLE, reasons);
    }

    public static Status unresolvable(String... reasons) {
        return new Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of(reasons));
    }

    public static Status error(String reason) {
        return new Status(Code.ERROR, List.of(reason));
    }

    public boolean isSuccess() {
        return code == Code.SUCCESS;
    }
}
