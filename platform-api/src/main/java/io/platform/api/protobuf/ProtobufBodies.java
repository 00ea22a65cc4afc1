package io.platform.api.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import io.kubernetes.client.proto.Runtime;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decodes the protobuf bodies kubectl sends ({@code application/vnd.kubernetes.protobuf}): the magic
 * {@code k8s\0}, then a {@code runtime.Unknown} whose typeMeta names the kind and whose raw bytes are the
 * typed message.
 */
public final class ProtobufBodies {

    /** The four bytes every Kubernetes protobuf body starts with. */
    static final ByteString MAGIC = ByteString.copyFrom(new byte[] {'k', '8', 's', 0});
    private static final String PROTOBUF = "application/vnd.kubernetes.protobuf";

    private ProtobufBodies() {
    }

    /** Decodes {@code k8s\0} + runtime.Unknown into the object as Kubernetes JSON, with apiVersion and kind. */
    public static ObjectNode decode(byte[] body) {
        ByteString bytes = ByteString.copyFrom(body);
        if (!bytes.startsWith(MAGIC)) {
            throw new ProtobufBodyException("the body is not a Kubernetes protobuf object: it does not start with \"k8s\\0\"");
        }
        Runtime.Unknown envelope = envelope(bytes.substring(MAGIC.size()));
        String apiVersion = envelope.getTypeMeta().getApiVersion();
        String kind = envelope.getTypeMeta().getKind();
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            throw new ProtobufBodyException("the protobuf body does not name its apiVersion and kind");
        }
        if (!envelope.getContentEncoding().isEmpty()) {
            throw new ProtobufBodyException("content encoding \"" + envelope.getContentEncoding()
                    + "\" of the protobuf body is not supported");
        }
        if (!envelope.getContentType().isEmpty() && !envelope.getContentType().equals(PROTOBUF)) {
            throw new ProtobufBodyException("content type \"" + envelope.getContentType()
                    + "\" inside the protobuf body is not supported");
        }
        Descriptor type = ProtobufKinds.find(apiVersion, kind).orElseThrow(() -> new ProtobufBodyException(
                "no protobuf message is known for kind \"" + kind + "\" of apiVersion \"" + apiVersion
                        + "\"; send the object as JSON"));
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("kind", kind);
        json.put("apiVersion", apiVersion);
        return ProtobufJson.object(message(type, envelope.getRaw(), kind), json);
    }

    private static Runtime.Unknown envelope(ByteString bytes) {
        try {
            return Runtime.Unknown.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ProtobufBodyException("the protobuf envelope (runtime.Unknown) is malformed: " + e.getMessage(), e);
        }
    }

    private static DynamicMessage message(Descriptor type, ByteString raw, String kind) {
        try {
            return DynamicMessage.parseFrom(type, raw);
        } catch (InvalidProtocolBufferException e) {
            throw new ProtobufBodyException("the protobuf " + kind + " is malformed: " + e.getMessage(), e);
        }
    }
}
