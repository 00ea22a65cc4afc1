package io.platform.api.auth.serviceaccount;

import io.platform.api.admission.AdmissionRequest;
import io.platform.api.auth.ApiAudiences;
import io.platform.api.errors.ApiException;
import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.ResourceStorage;
import io.platform.api.resource.WriteContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Answers {@code POST serviceaccounts/{name}/token} (an {@code authentication.k8s.io/v1} TokenRequest), as
 * kube-apiserver's TokenREST: the ServiceAccount must exist (404), audiences default to the API server's,
 * {@code expirationSeconds} to an hour (at least ten minutes; longer than the maximum is shortened with a warning),
 * and a {@code boundObjectRef} names a Pod running as this ServiceAccount or a Secret, which must exist with the
 * given uid. The answer is the request with its status: the token and when it expires. Blocking: reads the store.
 */
public final class TokenRequests {

    private static final Logger log = LoggerFactory.getLogger(TokenRequests.class);
    static final String API_VERSION = "authentication.k8s.io/v1";
    static final String KIND = "TokenRequest";
    private static final String GROUP = "authentication.k8s.io";
    private static final long DEFAULT_EXPIRATION_SECONDS = 3600;
    private static final long MIN_EXPIRATION_SECONDS = 600;
    private static final long MAX_EXPIRATION_SECONDS = 1L << 32;
    private static final ResourceType NODES = BuiltinResources.find("", "v1", "nodes").orElseThrow();

    /** The TokenRequest answered, and the warnings for the client. */
    public record Answer(ObjectNode tokenRequest, List<String> warnings) {}

    private final ResourceStorage storage;
    private final ServiceAccountTokenIssuer issuer;
    private final ApiAudiences apiAudiences;
    private final Duration maxExpiration;
    private final Clock clock;

    public TokenRequests(ResourceStorage storage, ServiceAccountTokenIssuer issuer, ApiAudiences apiAudiences,
            Duration maxExpiration, Clock clock) {
        this.storage = storage;
        this.issuer = issuer;
        this.apiAudiences = apiAudiences;
        this.maxExpiration = maxExpiration;
        this.clock = clock;
    }

    /**
     * @param request the posted TokenRequest
     * @param context who asks, and where warnings and audit annotations go: the request goes through the admission
     *     chain as a create of {@code serviceaccounts/token}, as upstream's (NodeRestriction limits what nodes may ask)
     * @throws ApiException 400, 403, 404, 409 or 422 as kube-apiserver refuses such a request
     */
    public Answer create(String namespace, String name, ObjectNode request, WriteContext context) {
        requireKind(request);
        ObjectNode metadata = Json.metadata(request);
        String requestName = metadata.path("name").asString("");
        if (!requestName.isEmpty() && !requestName.equals(name)) {
            throw invalid(name, StatusCause.invalid("metadata.name", requestName,
                    "must match the service account name if specified"));
        }
        String requestNamespace = metadata.path("namespace").asString("");
        if (!requestNamespace.isEmpty() && !requestNamespace.equals(namespace)) {
            throw invalid(name, StatusCause.invalid("metadata.namespace", requestNamespace,
                    "must match the service account namespace if specified"));
        }
        List<String> warnings = context.warnings();
        storage.admission().admit(new AdmissionRequest(AdmissionRequest.Operation.CREATE,
                ServiceAccountTokenAuthenticator.SERVICE_ACCOUNTS, "token", namespace, name, request, null,
                context.user(), false, warnings, context.auditAnnotations()));
        ObjectNode serviceAccount = storage.get(ServiceAccountTokenAuthenticator.SERVICE_ACCOUNTS, namespace, name);
        ObjectNode spec = Json.child(request, "spec");
        List<String> audiences = Json.strings(spec.path("audiences"));
        if (audiences.isEmpty()) {
            audiences = apiAudiences.values();
        }
        long expirationSeconds = expirationSeconds(spec);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        TokenBinding binding = binding(namespace, name, uid(serviceAccount), spec.path("boundObjectRef"));
        if (expirationSeconds > maxExpiration.toSeconds()) {
            warnings.add("requested expiration of " + expirationSeconds + " seconds shortened to "
                    + maxExpiration.toSeconds() + " seconds");
            expirationSeconds = maxExpiration.toSeconds();
        }
        String token = issuer.issue(binding, audiences, now, Duration.ofSeconds(expirationSeconds));
        log.debug("token issued for serviceaccount {}/{} (audiences {}, {} s)", namespace, name, audiences,
                expirationSeconds);

        metadata.put("name", name).put("namespace", namespace).put("creationTimestamp", now.toString());
        ArrayNode audienceArray = spec.putArray("audiences");
        audiences.forEach(audienceArray::add);
        spec.put("expirationSeconds", expirationSeconds);
        ObjectNode status = request.putObject("status");
        status.put("token", token);
        status.put("expirationTimestamp", now.plusSeconds(expirationSeconds).toString());
        return new Answer(request, warnings);
    }

    private static void requireKind(ObjectNode request) {
        String apiVersion = request.path("apiVersion").asString("");
        String kind = request.path("kind").asString("");
        if (!apiVersion.isEmpty() && !apiVersion.equals(API_VERSION)) {
            throw ApiException.badRequest("the API version in the data (" + apiVersion
                    + ") does not match the expected API version (" + API_VERSION + ")");
        }
        if (!kind.isEmpty() && !kind.equals(KIND)) {
            throw ApiException.badRequest("the kind in the data (" + kind + ") does not match the expected kind ("
                    + KIND + ") of serviceaccounts/token");
        }
        request.put("apiVersion", API_VERSION).put("kind", KIND);
        if (request.has("metadata") && !request.get("metadata").isObject()) {
            throw ApiException.badRequest("metadata must be an object");
        }
    }

    /** As upstream's defaulting (an hour) and ValidateTokenRequest (ten minutes to 2^32 seconds). */
    private static long expirationSeconds(ObjectNode spec) {
        JsonNode value = spec.path("expirationSeconds");
        if (value.isMissingNode() || value.isNull()) {
            return DEFAULT_EXPIRATION_SECONDS;
        }
        if (!value.isIntegralNumber()) {
            throw ApiException.badRequest("spec.expirationSeconds must be an integer, got " + value);
        }
        long seconds = value.asLong();
        if (seconds < MIN_EXPIRATION_SECONDS) {
            throw invalid("", StatusCause.invalidNumber("spec.expirationSeconds", seconds,
                    "may not specify a duration less than 10 minutes"));
        }
        if (seconds > MAX_EXPIRATION_SECONDS) {
            throw invalid("", StatusCause.invalidNumber("spec.expirationSeconds", seconds,
                    "may not specify a duration larger than 2^32 seconds"));
        }
        return seconds;
    }

    private TokenBinding binding(String namespace, String serviceAccount, String serviceAccountUid, JsonNode ref) {
        TokenBinding.Reference account = new TokenBinding.Reference(serviceAccount, serviceAccountUid);
        if (!ref.isObject()) {
            return new TokenBinding(namespace, account, null, null, null);
        }
        String apiVersion = ref.path("apiVersion").asString("");
        String kind = ref.path("kind").asString("");
        String name = ref.path("name").asString("");
        String wantedUid = ref.path("uid").asString("");
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        TokenBinding binding;
        String uid;
        if (group.isEmpty() && kind.equals("Pod")) {
            ObjectNode pod = storage.get(ServiceAccountTokenAuthenticator.PODS, namespace, name);
            String podAccount = podServiceAccount(pod);
            if (!podAccount.equals(serviceAccount)) {
                throw ApiException.badRequest("cannot bind token for serviceaccount \"" + serviceAccount
                        + "\" to pod running with different serviceaccount name.");
            }
            uid = uid(pod);
            binding = new TokenBinding(namespace, account, new TokenBinding.Reference(name, uid), null, node(pod));
        } else if (group.isEmpty() && kind.equals("Secret")) {
            uid = uid(storage.get(ServiceAccountTokenAuthenticator.SECRETS, namespace, name));
            binding = new TokenBinding(namespace, account, null, new TokenBinding.Reference(name, uid), null);
        } else {
            // Go's GroupVersionKind.String()
            String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
            throw ApiException.badRequest("cannot bind token to object of type " + group + "/" + version + ", Kind="
                    + kind);
        }
        if (!wantedUid.isEmpty() && !wantedUid.equals(uid)) {
            throw new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + kind + " \"" + name
                    + "\": the UID in the bound object reference (" + wantedUid + ") does not match the UID in record."
                    + " The object might have been deleted and then recreated", name, null, kind, List.of());
        }
        return binding;
    }

    /** The pod's ServiceAccount; one without any runs as {@code default}, as the ServiceAccount admission sets it. */
    private static String podServiceAccount(ObjectNode pod) {
        JsonNode spec = pod.path("spec");
        String name = spec.path("serviceAccountName").asString("");
        if (name.isEmpty()) {
            name = spec.path("serviceAccount").asString("");
        }
        return name.isEmpty() ? "default" : name;
    }

    /** As upstream with ServiceAccountTokenPodNodeInfo: the pod's node, by name alone when it is not found. */
    private TokenBinding.@Nullable Reference node(ObjectNode pod) {
        String nodeName = pod.path("spec").path("nodeName").asString("");
        if (nodeName.isEmpty()) {
            return null;
        }
        try {
            return new TokenBinding.Reference(nodeName, uid(storage.get(NODES, null, nodeName)));
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
            return new TokenBinding.Reference(nodeName, "");
        }
    }

    private static String uid(ObjectNode object) {
        return object.path("metadata").path("uid").asString("");
    }

    private static ApiException invalid(String name, StatusCause cause) {
        return new ApiException(422, "Invalid", KIND + "." + GROUP + " \"" + name + "\" is invalid: "
                + cause.describe(), name, GROUP, KIND, List.of(cause));
    }
}
