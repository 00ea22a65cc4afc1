package io.platform.common.reconcile;

import org.springframework.context.SmartLifecycle;

/**
 * Starts a component's workers with its Spring context and stops them while the context closes,
 * before the beans they use (the API client) are destroyed.
 */
public final class RunningLifecycle implements SmartLifecycle {

    private final Runnable start;
    private final Runnable stop;
    private volatile boolean running;

    public RunningLifecycle(Runnable start, Runnable stop) {
        this.start = start;
        this.stop = stop;
    }

    @Override
    public void start() {
        start.run();
        running = true;
    }

    @Override
    public void stop() {
        stop.run();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
