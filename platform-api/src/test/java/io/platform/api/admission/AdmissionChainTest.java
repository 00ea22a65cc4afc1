package io.platform.api.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platform.api.errors.ApiException;
import io.platform.api.resource.DeleteOptions;
import io.platform.api.resource.UpdateMode;
import io.platform.api.resource.WriteContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** The chain in ResourceStorage's writes: order of the phases, users, warnings, dry runs, disabled plugins. */
class AdmissionChainTest {

    @TempDir
    Path dir;

    private final List<String> calls = new ArrayList<>();
    private AdmissionHarness harness;

    @AfterEach
    void close() {
        harness.close();
    }

    /** Records every call; labels the object in mutate; refuses objects labelled {@code refuse}. */
    private AdmissionPlugin recorder(String name) {
        return new AdmissionPlugin() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void mutate(AdmissionRequest request) {
                calls.add(name + ".mutate " + request.operation() + " " + request.subresource() + " "
                        + request.user().name() + " dryRun=" + request.dryRun());
                if (request.operation() != AdmissionRequest.Operation.DELETE) {
                    ((ObjectNode) request.object().path("metadata")).putObject("annotations").put("mutated-by", name);
                }
            }

            @Override
            public void validate(AdmissionRequest request) {
                calls.add(name + ".validate " + request.object().path("metadata").path("annotations").path("mutated-by")
                        .asString(""));
                request.warnings().add(name + " looked");
                if (request.object().path("metadata").path("labels").has("refuse")) {
                    throw ApiException.forbidden(request.type(), request.name(), "refused by " + name);
                }
            }

            @Override
            public void committed(AdmissionRequest request, ObjectNode stored) {
                calls.add(name + ".committed " + stored.path("metadata").path("resourceVersion").asString(""));
            }
        };
    }

    @Test
    void everyMutationRunsBeforeEveryValidationAndWarningsReachTheCaller() {
        harness = new AdmissionHarness(dir, h -> List.of(recorder("first"), recorder("second")));
        harness.namespace("ns", "{}");
        calls.clear();
        WriteContext context = WriteContext.of(AdmissionHarness.USER);
        ObjectNode created = harness.create("configmaps", "ns", "{'metadata':{'name':'a'}}", context, false);

        String revision = created.path("metadata").path("resourceVersion").asString("");
        assertThat(calls).containsExactly("first.mutate CREATE  alice dryRun=false",
                "second.mutate CREATE  alice dryRun=false", "first.validate second", "second.validate second",
                "first.committed " + revision, "second.committed " + revision);
        assertThat(created.path("metadata").path("annotations").path("mutated-by").asString()).isEqualTo("second");
        assertThat(context.warnings()).containsExactly("first looked", "second looked");
    }

    @Test
    void aRefusalStoresNothingAndDryRunsAreNotCommitted() {
        harness = new AdmissionHarness(dir, h -> List.of(recorder("only")));
        harness.namespace("ns", "{}");
        assertThatThrownBy(() -> harness.create("configmaps", "ns", "{'metadata':{'name':'a','labels':{'refuse':'yes'}}}"))
                .isInstanceOf(ApiException.class).hasMessage("configmaps \"a\" is forbidden: refused by only");
        assertThat(harness.lookup.live(AdmissionHarness.type("", "configmaps"), "ns", "a")).isEmpty();

        calls.clear();
        harness.create("configmaps", "ns", "{'metadata':{'name':'b'}}", WriteContext.of(AdmissionHarness.USER), true);
        assertThat(calls).containsExactly("only.mutate CREATE  alice dryRun=true", "only.validate only");
    }

    @Test
    void updatesSubresourcesAndDeletesAreAdmittedWithTheirUser() {
        harness = new AdmissionHarness(dir, h -> List.of(recorder("only")));
        harness.namespace("ns", "{}");
        harness.create("pods", "ns", "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'c','image':'busybox'}]}}");
        calls.clear();
        WriteContext context = WriteContext.of(AdmissionHarness.USER);
        harness.storage.update(AdmissionHarness.type("", "pods"), "ns", "p", UpdateMode.STATUS, false, pod -> {
            pod.putObject("status").put("phase", "Running");
            return pod;
        }, (old, next) -> { }, context);
        harness.storage.update(AdmissionHarness.type("", "pods"), "ns", "p", UpdateMode.SERVER, false, pod -> pod,
                (old, next) -> { }, context.subresource("binding"));
        harness.storage.delete(AdmissionHarness.type("", "pods"), "ns", "p", DeleteOptions.defaults(), false, context);

        assertThat(calls).filteredOn(call -> call.contains(".mutate")).containsExactly(
                "only.mutate UPDATE status alice dryRun=false",
                "only.mutate CREATE binding alice dryRun=false",
                "only.mutate DELETE  alice dryRun=false");
    }

    @Test
    void internalWritesRunAsTheApiServerAndDisabledPluginsNeverRun() {
        List<AdmissionPlugin> plugins = List.of(recorder("kept"), recorder("dropped"));
        AdmissionChain chain = new AdmissionChain(() -> plugins, Set.of("dropped"));
        assertThat(chain.plugins()).extracting(AdmissionPlugin::name).containsExactly("kept");

        harness = new AdmissionHarness(dir, h -> List.of(recorder("only")));
        harness.namespace("ns", "{}");
        calls.clear();
        harness.storage.create(AdmissionHarness.type("", "configmaps"), "ns",
                AdmissionHarness.json("{'metadata':{'name':'internal'}}"), false);
        assertThat(calls.getFirst()).isEqualTo("only.mutate CREATE  system:apiserver dryRun=false");
        assertThat(WriteContext.API_SERVER.groups()).contains("system:masters");
    }
}
