package io.platform.api.admission;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The enabled plugins in their order, as kube-apiserver's admission chain: {@link #mutate} runs every plugin's
 * mutation, {@link #validate} every plugin's validation. Plugins are looked up on first use, so plugins may themselves
 * use the storage that runs this chain.
 */
public final class AdmissionChain {

    private static final Logger log = LoggerFactory.getLogger(AdmissionChain.class);

    private final Supplier<List<AdmissionPlugin>> source;
    private final Set<String> disabled;
    private volatile @Nullable List<AdmissionPlugin> plugins;

    /** @param source every plugin, in order; {@code disabled} names are left out */
    public AdmissionChain(Supplier<List<AdmissionPlugin>> source, Collection<String> disabled) {
        this.source = source;
        this.disabled = Set.copyOf(disabled);
    }

    /** A chain of exactly these plugins, in this order. */
    public static AdmissionChain of(List<AdmissionPlugin> plugins) {
        return new AdmissionChain(() -> plugins, Set.of());
    }

    /** No admission at all (storage used without an API server). */
    public static AdmissionChain none() {
        return of(List.of());
    }

    public List<AdmissionPlugin> plugins() {
        List<AdmissionPlugin> resolved = plugins;
        if (resolved == null) {
            synchronized (this) {
                resolved = plugins;
                if (resolved == null) {
                    List<AdmissionPlugin> all = source.get();
                    Set<String> names = all.stream().map(AdmissionPlugin::name).collect(Collectors.toSet());
                    disabled.stream().filter(name -> !names.contains(name))
                            .forEach(name -> log.warn("admission plugin {} is disabled but unknown", name));
                    resolved = all.stream().filter(p -> !disabled.contains(p.name())).toList();
                    if (!all.isEmpty()) {
                        log.info("admission plugins: {}", resolved.stream().map(AdmissionPlugin::name).toList());
                    }
                    plugins = resolved;
                }
            }
        }
        return resolved;
    }

    /** Every plugin's mutation, in order. */
    public void mutate(AdmissionRequest request) {
        for (AdmissionPlugin plugin : plugins()) {
            plugin.mutate(request);
        }
    }

    /** Every plugin's validation, in order. */
    public void validate(AdmissionRequest request) {
        for (AdmissionPlugin plugin : plugins()) {
            plugin.validate(request);
        }
    }

    /** Mutation then validation, for requests the type itself does not validate (an eviction). */
    public void admit(AdmissionRequest request) {
        mutate(request);
        validate(request);
    }

    /** Tells every plugin the write was stored; a plugin's failure is logged, the write stands. */
    public void committed(AdmissionRequest request, ObjectNode stored) {
        if (request.dryRun()) {
            return;
        }
        for (AdmissionPlugin plugin : plugins()) {
            try {
                plugin.committed(request, stored);
            } catch (RuntimeException e) {
                log.warn("admission plugin {} after {} {} {}/{}: {}", plugin.name(), request.operation(),
                        request.type().qualifiedPlural(), request.namespace(), request.name(), e.toString());
            }
        }
    }
}
