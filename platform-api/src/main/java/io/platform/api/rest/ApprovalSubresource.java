package io.platform.api.rest;

import io.platform.api.json.Json;
import io.platform.api.openapi.OpenApiV3;
import io.platform.api.patch.PatchType;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.ResourceStorage;
import io.platform.api.resource.ManagedFieldsTracker;
import io.platform.api.resource.UpdateMode;
import io.platform.api.resource.WriteContext;
import io.platform.api.strategy.CertificateApproval;
import java.time.Clock;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code certificatesigningrequests/{name}/approval}: an update (PUT or patch) that changes only the Approved and
 * Denied conditions, as {@code kubectl certificate approve|deny} sends it.
 */
final class ApprovalSubresource {

    private ApprovalSubresource() {}

    static Mono<ServerResponse> update(ServerRequest request, ResourceStorage storage, Clock clock, ResourcePath path,
            byte[] bytes) {
        ResourceType type = path.requireType();
        ObjectNode body = RequestBodies.decode(ResourceHandler.contentType(request), bytes);
        RequestBodies.requireKind(body, type, type.apiVersion(), type.kind());
        WriteContext context = ResourceHandler.context(request).subresource("approval");
        ObjectNode updated = storage.update(type, null, path.name(), UpdateMode.STATUS, ResourceHandler.dryRun(request),
                current -> CertificateApproval.apply(type, current, body, clock.instant()), ManagedFieldsTracker.UNTRACKED,
                context);
        return Responses.json(200, updated, context.warnings());
    }

    static Mono<ServerResponse> patch(ServerRequest request, ResourceStorage storage, Clock clock, ResourcePath path,
            byte[] bytes) {
        ResourceType type = path.requireType();
        PatchType patchType = ResourceHandler.patchType(request);
        WriteContext context = ResourceHandler.context(request).subresource("approval");
        ObjectNode updated = storage.update(type, null, path.name(), UpdateMode.STATUS, ResourceHandler.dryRun(request),
                current -> {
                    ObjectNode base = current.deepCopy();
                    Json.metadata(base).remove("resourceVersion");
                    ObjectNode patched = ResourceHandler.applyPatch(patchType, base, bytes,
                            OpenApiV3.modelClass(type));
                    return CertificateApproval.apply(type, current, patched, clock.instant());
                }, ManagedFieldsTracker.UNTRACKED, context);
        return Responses.json(200, updated, context.warnings());
    }
}
