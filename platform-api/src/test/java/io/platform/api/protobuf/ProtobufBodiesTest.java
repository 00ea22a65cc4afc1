package io.platform.api.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import io.kubernetes.client.proto.IntStr;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Rbac;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class ProtobufBodiesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long SECONDS = Instant.parse("2026-01-02T03:04:05Z").getEpochSecond();

    @Test
    void podKeepsKubernetesJsonFormsOfApimachineryTypes() {
        V1.Pod pod = V1.Pod.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("p").setNamespace("default").setGeneration(0)
                        .setCreationTimestamp(Meta.Time.newBuilder().setSeconds(SECONDS).setNanos(999))
                        .addOwnerReferences(Meta.OwnerReference.newBuilder().setApiVersion("apps/v1")
                                .setKind("ReplicaSet").setName("rs").setUid("u1").setController(false))
                        .addManagedFields(Meta.ManagedFieldsEntry.newBuilder().setManager("kubectl")
                                .setFieldsType("FieldsV1").setFieldsV1(Meta.FieldsV1.newBuilder()
                                        .setRaw(ByteString.copyFromUtf8("{\"f:metadata\":{}}")))))
                .setSpec(V1.PodSpec.newBuilder()
                        .setTerminationGracePeriodSeconds(0)
                        .setHostNetwork(false)
                        .addVolumes(V1.Volume.newBuilder().setName("conf").setVolumeSource(V1.VolumeSource.newBuilder()
                                .setConfigMap(V1.ConfigMapVolumeSource.newBuilder().setLocalObjectReference(
                                        V1.LocalObjectReference.newBuilder().setName("cm")))))
                        .addContainers(V1.Container.newBuilder().setName("c").setImage("busybox").setTty(false)
                                .addEnv(V1.EnvVar.newBuilder().setName("PASSWORD").setValue("")
                                        .setValueFrom(V1.EnvVarSource.newBuilder().setSecretKeyRef(V1.SecretKeySelector
                                                .newBuilder().setKey("pw").setLocalObjectReference(
                                                        V1.LocalObjectReference.newBuilder().setName("db")))))
                                .setResources(V1.ResourceRequirements.newBuilder()
                                        .putLimits("memory", Resource.Quantity.newBuilder().setString("64Mi").build()))
                                .setLivenessProbe(V1.Probe.newBuilder().setHandler(V1.ProbeHandler.newBuilder()
                                        .setHttpGet(V1.HTTPGetAction.newBuilder().setPath("/")
                                                .setPort(IntStr.IntOrString.newBuilder().setType(0).setIntVal(8080)))))))
                .setStatus(V1.PodStatus.newBuilder().setPhase("")
                        .setStartTime(Meta.Time.newBuilder().setSeconds(SECONDS))
                        .addConditions(V1.PodCondition.newBuilder().setType("Ready").setStatus("True")
                                .setLastTransitionTime(Meta.Time.getDefaultInstance())))
                .build();

        ObjectNode json = ProtobufBodies.decode(body("v1", "Pod", pod));

        assertThat(json).isEqualTo(json("""
                {"kind":"Pod","apiVersion":"v1",
                 "metadata":{"name":"p","namespace":"default","creationTimestamp":"2026-01-02T03:04:05Z",
                   "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs","uid":"u1","controller":false}],
                   "managedFields":[{"manager":"kubectl","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{}}}]},
                 "spec":{"volumes":[{"name":"conf","configMap":{"name":"cm"}}],
                   "containers":[{"name":"c","image":"busybox",
                     "env":[{"name":"PASSWORD","valueFrom":{"secretKeyRef":{"name":"db","key":"pw"}}}],
                     "resources":{"limits":{"memory":"64Mi"}},
                     "livenessProbe":{"httpGet":{"path":"/","port":8080}}}],
                   "terminationGracePeriodSeconds":0},
                 "status":{"conditions":[{"type":"Ready","status":"True","lastTransitionTime":null}],
                   "startTime":"2026-01-02T03:04:05Z"}}"""));
    }

    @Test
    void microTimeKeepsMicroseconds() {
        V1.Event event = V1.Event.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("e"))
                .setEventTime(Meta.MicroTime.newBuilder().setSeconds(SECONDS).setNanos(123_456_789))
                .setCount(0)
                .build();

        ObjectNode json = ProtobufBodies.decode(body("v1", "Event", event));

        assertThat(json.get("eventTime").stringValue()).isEqualTo("2026-01-02T03:04:05.123456Z");
        assertThat(json.has("count")).isFalse();
    }

    @Test
    void secretDataIsBase64() {
        V1.Secret secret = V1.Secret.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("s"))
                .putData("k", ByteString.copyFrom(new byte[] {0, (byte) 0xff, 'v'}))
                .setImmutable(false)
                .build();

        ObjectNode json = ProtobufBodies.decode(body("v1", "Secret", secret));

        assertThat(json.at("/data/k").stringValue()).isEqualTo("AP92");
        assertThat(json.get("immutable").booleanValue()).isFalse();
    }

    @Test
    void tokenRequestOfKubectlCreateTokenUsesJsonNames() {
        V1Authentication.TokenRequest request = V1Authentication.TokenRequest.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("sa").setNamespace("default"))
                .setSpec(V1Authentication.TokenRequestSpec.newBuilder().addAudiences("https://kubernetes.default.svc")
                        .setExpirationSeconds(3600)
                        .setBoundObjectRef(V1Authentication.BoundObjectReference.newBuilder().setKind("Pod")
                                .setApiVersion("v1").setName("p").setUID("u1")))
                .setStatus(V1Authentication.TokenRequestStatus.newBuilder().setToken("")
                        .setExpirationTimestamp(Meta.Time.getDefaultInstance()))
                .build();

        ObjectNode json = ProtobufBodies.decode(body("authentication.k8s.io/v1", "TokenRequest", request));

        assertThat(json).isEqualTo(json("""
                {"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1",
                 "metadata":{"name":"sa","namespace":"default"},
                 "spec":{"audiences":["https://kubernetes.default.svc"],"expirationSeconds":3600,
                   "boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"p","uid":"u1"}},
                 "status":{"token":"","expirationTimestamp":null}}"""));
    }

    @Test
    void accessReviewOfKubectlAuthCanIKeepsNamedSlicesAsArrays() {
        V1Authorization.SubjectAccessReview review = V1Authorization.SubjectAccessReview.newBuilder()
                .setSpec(V1Authorization.SubjectAccessReviewSpec.newBuilder().setUser("alice")
                        .putExtra("scopes", V1Authorization.ExtraValue.newBuilder().addItems("a").addItems("b").build())
                        .setResourceAttributes(V1Authorization.ResourceAttributes.newBuilder().setVerb("create")
                                .setGroup("").setResource("pods").setNamespace("default")))
                .build();

        ObjectNode json = ProtobufBodies.decode(body("authorization.k8s.io/v1", "SubjectAccessReview", review));

        assertThat(json.get("spec")).isEqualTo(json("""
                {"resourceAttributes":{"namespace":"default","verb":"create","resource":"pods"},
                 "user":"alice","extra":{"scopes":["a","b"]}}"""));
    }

    @Test
    void groupNamesMapToTheirGoPackages() {
        V1Rbac.ClusterRole role = V1Rbac.ClusterRole.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("r"))
                .addRules(V1Rbac.PolicyRule.newBuilder().addVerbs("get").addApiGroups("").addResources("pods"))
                .build();

        ObjectNode json = ProtobufBodies.decode(body("rbac.authorization.k8s.io/v1", "ClusterRole", role));

        assertThat(json.get("rules")).isEqualTo(json("[{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":[\"pods\"]}]"));
    }

    @Test
    void unknownKindsAreRejectedByName() {
        V1Apps.Deployment deployment = V1Apps.Deployment.getDefaultInstance();

        assertThatThrownBy(() -> ProtobufBodies.decode(body("apps/v1", "Frobnicator", deployment)))
                .isInstanceOf(ProtobufBodyException.class)
                .hasMessage("no protobuf message is known for kind \"Frobnicator\" of apiVersion \"apps/v1\"; send the object as JSON");
        assertThatThrownBy(() -> ProtobufBodies.decode(body("example.com/v1", "Widget", deployment)))
                .hasMessageContaining("kind \"Widget\" of apiVersion \"example.com/v1\"");
        assertThatThrownBy(() -> ProtobufBodies.decode(body("v1", "Deployment", deployment)))
                .hasMessageContaining("kind \"Deployment\" of apiVersion \"v1\"");
    }

    @Test
    void malformedBodiesSayWhatIsWrong() {
        assertThatThrownBy(() -> ProtobufBodies.decode("{\"kind\":\"Pod\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ProtobufBodyException.class).hasMessageContaining("does not start with");
        assertThatThrownBy(() -> ProtobufBodies.decode(new byte[] {'k', '8', 's', 0, 0x0a, 0x7f}))
                .isInstanceOf(ProtobufBodyException.class).hasMessageContaining("envelope");
        assertThatThrownBy(() -> ProtobufBodies.decode(envelope(Runtime.Unknown.newBuilder().build())))
                .hasMessage("the protobuf body does not name its apiVersion and kind");
        assertThatThrownBy(() -> ProtobufBodies.decode(envelope(Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion("v1").setKind("Pod"))
                .setContentEncoding("gzip").build())))
                .hasMessageContaining("content encoding \"gzip\"");
        assertThatThrownBy(() -> ProtobufBodies.decode(envelope(Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion("v1").setKind("Pod"))
                .setRaw(ByteString.copyFrom(new byte[] {0x0a, 0x7f})).build())))
                .hasMessageContaining("the protobuf Pod is malformed");
    }

    @Test
    void goTagTablesNameOnlyFieldsTheDescriptorsHave() {
        Set<String> fields = new HashSet<>(GoJsonTags.zeroValueFields());
        fields.addAll(GoJsonTags.inlineFields());
        for (String field : fields) {
            int dot = field.lastIndexOf('.');
            String message = field.substring(0, dot);
            String outer = message.substring(0, message.lastIndexOf('.'));
            Descriptor type = messageType(outer, message.substring(outer.length() + 1));
            assertThat(type).as(message).isNotNull();
            assertThat(type.findFieldByName(field.substring(dot + 1))).as(field).isNotNull();
        }
    }

    private static @Nullable Descriptor messageType(String protoPackage, String name) {
        String[] parts = protoPackage.split("\\.");
        return switch (protoPackage) {
            case "k8s.io.apimachinery.pkg.apis.meta.v1" -> Meta.getDescriptor().findMessageTypeByName(name);
            case "k8s.io.apimachinery.pkg.runtime" -> Runtime.getDescriptor().findMessageTypeByName(name);
            case "k8s.io.api.core.v1" -> ProtobufKinds.find("v1", name).orElse(null);
            default -> ProtobufKinds.find(parts[parts.length - 2] + "/" + parts[parts.length - 1], name).orElse(null);
        };
    }

    private static byte[] body(String apiVersion, String kind, Message message) {
        return envelope(Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
                .setRaw(message.toByteString())
                .setContentEncoding("")
                .setContentType("")
                .build());
    }

    private static byte[] envelope(Runtime.Unknown unknown) {
        return ProtobufBodies.MAGIC.concat(unknown.toByteString()).toByteArray();
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
