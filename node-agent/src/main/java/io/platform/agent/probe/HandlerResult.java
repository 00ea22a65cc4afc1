package io.platform.agent.probe;

/**
 * What one run of a handler gave, as the kubelet's probers: success or failure with the output a
 * person reads, or an error meaning the check itself could not run (such probe results are thrown
 * away, as the kubelet does).
 */
record HandlerResult(Outcome outcome, String output) {

    enum Outcome {
        SUCCESS, FAILURE, ERROR
    }

    static HandlerResult success(String output) {
        return new HandlerResult(Outcome.SUCCESS, output);
    }

    static HandlerResult failure(String output) {
        return new HandlerResult(Outcome.FAILURE, output);
    }

    static HandlerResult error(String output) {
        return new HandlerResult(Outcome.ERROR, output);
    }

    boolean succeeded() {
        return outcome == Outcome.SUCCESS;
    }
}
