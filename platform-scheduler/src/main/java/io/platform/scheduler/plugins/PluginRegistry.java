package io.platform.scheduler.plugins;

import io.platform.scheduler.framework.FilterPlugin;
import io.platform.scheduler.framework.Plugin;
import io.platform.scheduler.framework.ScorePlugin;
import io.platform.scheduler.plugins.nodeaffinity.NodeAffinity;
import io.platform.scheduler.plugins.noderesources.NodeResourcesFit;
import io.platform.scheduler.plugins.nodeready.NodeReady;
import io.platform.scheduler.plugins.nodeunschedulable.NodeUnschedulable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The in-tree plugins by name, in the order filters run (cheap checks before resource math). */
public final class PluginRegistry {

    private static final Map<String, Supplier<Plugin>> FACTORIES = new LinkedHashMap<>();

    static {
        FACTORIES.put(NodeReady.NAME, NodeReady::new);
        FACTORIES.put(NodeUnschedulable.NAME, NodeUnschedulable::new);
        FACTORIES.put(NodeAffinity.NAME, NodeAffinity::new);
        FACTORIES.put(NodeResourcesFit.NAME, NodeResourcesFit::new);
    }

    private PluginRegistry() {}

    /** One instance of every registered plugin. */
    public static List<Plugin> defaultPlugins() {
        return FACTORIES.values().stream().map(Supplier::get).toList();
    }

    public static List<FilterPlugin> filters(List<Plugin> plugins) {
        return plugins.stream().filter(FilterPlugin.class::isInstance).map(FilterPlugin.class::cast).toList();
    }

    public static List<ScorePlugin> scorers(List<Plugin> plugins) {
        return plugins.stream().filter(ScorePlugin.class::isInstance).map(ScorePlugin.class::cast).toList();
    }
}
