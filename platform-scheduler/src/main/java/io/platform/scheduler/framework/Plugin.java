package io.platform.scheduler.framework;

/** A scheduler plugin; it implements the extension points it needs. */
public interface Plugin {

    /** The plugin's name, as in the scheduler configuration and in logs. */
    String name();
}
