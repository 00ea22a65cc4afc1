package io.platform.api.rest;

import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import io.platform.api.protobuf.ProtobufBodies;
import io.platform.api.protobuf.ProtobufBodyException;
import io.platform.api.registry.ResourceType;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads request bodies within the size limit, decodes them (JSON, YAML, Kubernetes protobuf) into object trees and
 * checks their type.
 */
public final class RequestBodies {

    static final String PROTOBUF = "application/vnd.kubernetes.protobuf";

    private RequestBodies() {}

    /** Reads the body, refusing with 413 one larger than the limit before anything is decoded; empty when none. */
    public static Mono<byte[]> read(ServerRequest request, int maxBytes) {
        long declared = request.headers().contentLength().orElse(-1);
        if (declared > maxBytes) {
            return Mono.error(tooLarge(maxBytes));
        }
        return DataBufferUtils.join(request.bodyToFlux(DataBuffer.class), maxBytes)
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .onErrorMap(DataBufferLimitException.class, e -> tooLarge(maxBytes));
    }

    private static ApiException tooLarge(int maxBytes) {
        return new ApiException(413, "RequestEntityTooLarge", "the request body is larger than the limit of "
                + maxBytes + " bytes", null, null, null, List.of());
    }

    public static ObjectNode decode(@Nullable String contentType, byte[] body) {
        String mediaType = mediaType(contentType);
        if (body.length == 0) {
            throw ApiException.badRequest("the request body is empty; an object is required");
        }
        try {
            return switch (mediaType) {
                case "", "application/json", "*/*" -> Json.parseObject(body);
                case "application/yaml", "application/x-yaml", "text/yaml" -> Json.parseYamlObject(body);
                case PROTOBUF -> ProtobufBodies.decode(body);
                default -> throw ApiException.unsupportedMediaType("the body of the request was in an unknown format"
                        + " - accepted media types include: application/json, application/yaml, " + PROTOBUF);
            };
        } catch (ProtobufBodyException e) {
            throw ApiException.badRequest("the protobuf body could not be decoded: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("the body of the request could not be decoded as " + mediaType(contentType, "JSON")
                    + ": " + e.getMessage());
        }
    }

    /** The media type without parameters, lower case; "" when absent. */
    static String mediaType(@Nullable String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static String mediaType(@Nullable String contentType, String fallback) {
        String type = mediaType(contentType);
        return type.isEmpty() ? fallback : type;
    }

    /**
     * Checks that the body is an object of {@code expectedKind} in the type's group-version
     * (setting apiVersion and kind when absent), as the decoder of kube-apiserver does.
     */
    static void requireKind(ObjectNode object, ResourceType type, String expectedApiVersion, String expectedKind) {
        String apiVersion = Json.text(object, "apiVersion");
        String kind = Json.text(object, "kind");
        if (apiVersion != null && !apiVersion.isEmpty() && !apiVersion.equals(expectedApiVersion)) {
            throw ApiException.badRequest("the API version in the data (" + apiVersion
                    + ") does not match the expected API version (" + expectedApiVersion + ")");
        }
        if (kind != null && !kind.isEmpty() && !kind.equals(expectedKind)) {
            throw ApiException.badRequest("the kind in the data (" + kind + ") does not match the expected kind ("
                    + expectedKind + ") of " + type.qualifiedPlural());
        }
        object.put("apiVersion", expectedApiVersion);
        object.put("kind", expectedKind);
        if (object.has("metadata") && !object.get("metadata").isObject()) {
            throw ApiException.badRequest("metadata must be an object");
        }
    }
}
