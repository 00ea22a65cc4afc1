package io.platform.api.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Defaulting and validation of the built-in types' strategies against upstream's behaviour, one row per case. */
class BuiltinStrategiesTest {

    private static final String POD = "{\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1.36\"}]}";
    private static final String TEMPLATE = "{\"metadata\":{\"labels\":{\"app\":\"a\"}},\"spec\":" + POD + "}";
    private static final String SELECTOR = "{\"matchLabels\":{\"app\":\"a\"}}";

    /** group (core for "") | plural | object | a field the defaults set (JSON pointer=JSON value), or '' | expected cause fields. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            apps|statefulsets|{"spec":{"selector":SEL,"template":TPL}}|/spec/persistentVolumeClaimRetentionPolicy/whenScaled="Retain"|
            apps|statefulsets|{"spec":{"selector":SEL,"template":TPL,"podManagementPolicy":"Sometimes"}}|/spec/replicas=1|spec.podManagementPolicy
            apps|statefulsets|{"spec":{"selector":{"matchLabels":{"app":"b"}},"template":TPL}}|/spec/revisionHistoryLimit=10|spec.template.metadata.labels
            apps|daemonsets|{"spec":{"selector":SEL,"template":TPL}}|/spec/updateStrategy/rollingUpdate/maxUnavailable=1|
            apps|daemonsets|{"spec":{"selector":{},"template":TPL}}|/spec/updateStrategy/rollingUpdate/maxSurge=0|spec.selector
            apps|controllerrevisions|{"revision":-1}||revision
            core|replicationcontrollers|{"spec":{"template":TPL}}|/spec/selector={"app":"a"}|
            core|replicationcontrollers|{"spec":{"selector":{"app":"b"},"template":TPL}}|/metadata/labels={"app":"a"}|spec.template.metadata.labels
            core|podtemplates|{"template":{"spec":{"containers":[{"name":"c"}]}}}|/template/spec/restartPolicy="Always"|template.spec.containers[0].image
            core|persistentvolumeclaims|{"spec":{"resources":{"requests":{"storage":"1Gi"}}}}|/spec/volumeMode="Filesystem"|spec.accessModes
            core|persistentvolumes|{"spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"]}}|/spec/persistentVolumeReclaimPolicy="Retain"|spec
            core|persistentvolumes|{"spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"hostPath":{"path":"/a"},"nfs":{"server":"s","path":"/"}}}||spec
            core|limitranges|{"spec":{"limits":[{"type":"Container","max":{"cpu":"2"},"min":{"memory":"1Mi"}}]}}|/spec/limits/0/defaultRequest={"cpu":"2","memory":"1Mi"}|
            core|limitranges|{"spec":{"limits":[{"type":"Node"}]}}||spec.limits[0].type
            core|resourcequotas|{"spec":{"scopes":["Sometimes"]}}|/status={}|spec.scopes[0]
            core|endpoints|{"subsets":[{"addresses":[{}],"ports":[{"port":80}]}]}|/subsets/0/ports/0/protocol="TCP"|subsets[0].addresses[0].ip
            batch|jobs|{"spec":{"template":{"spec":POD}}}|/spec/podReplacementPolicy="TerminatingOrFailed"|spec.template.spec.restartPolicy
            batch|jobs|{"spec":{"parallelism":3,"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"b"}]}}}}|/spec/backoffLimit=6|
            batch|cronjobs|{"spec":{"schedule":"@hourly","jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"b"}]}}}}}}|/spec/successfulJobsHistoryLimit=3|
            batch|cronjobs|{"spec":{"schedule":"* * *","jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"b"}]}}}}}}|/spec/concurrencyPolicy="Allow"|spec.schedule
            batch|cronjobs|{"spec":{"schedule":"0 0 * * MON","timeZone":"Mars/Base","jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"Always","containers":[{"name":"c","image":"b"}]}}}}}}||spec.timeZone,spec.jobTemplate.spec.template.spec.restartPolicy
            networking.k8s.io|ingresses|{"spec":{}}|/status/loadBalancer={}|spec
            networking.k8s.io|ingresses|{"spec":{"rules":[{"host":"a.example.com","http":{"paths":[{"path":"x","pathType":"Prefix","backend":{"service":{"name":"s","port":{}}}}]}}]}}||spec.rules[0].http.paths[0].path,spec.rules[0].http.paths[0].backend.service.port
            networking.k8s.io|ingressclasses|{"spec":{}}||spec.controller
            networking.k8s.io|networkpolicies|{"spec":{"egress":[{"ports":[{"port":80}]}]}}|/spec/policyTypes=["Ingress","Egress"]|
            networking.k8s.io|networkpolicies|{"spec":{"ingress":[{"ports":[{"port":80}]}]}}|/spec/ingress/0/ports/0/protocol="TCP"|
            policy|poddisruptionbudgets|{"spec":{"maxUnavailable":"150%"}}|/status/disruptionsAllowed=0|spec.maxUnavailable
            rbac.authorization.k8s.io|roles|{"rules":[{"nonResourceURLs":["/x"],"verbs":["get"]}]}||rules[0].nonResourceURLs
            rbac.authorization.k8s.io|clusterroles|{"rules":[{"apiGroups":[""],"resources":["pods"]}]}||rules[0].verbs
            rbac.authorization.k8s.io|rolebindings|{"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"r"},"subjects":[{"kind":"User","name":"u"}]}|/subjects/0/apiGroup="rbac.authorization.k8s.io"|
            rbac.authorization.k8s.io|clusterrolebindings|{"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"r"},"subjects":[{"kind":"ServiceAccount","name":"sa"}]}|/subjects/0/apiGroup=""|roleRef.kind,subjects[0].namespace
            discovery.k8s.io|endpointslices|{"addressType":"IPv5","endpoints":[{"addresses":[]}],"ports":[{"port":80}]}|/ports/0/protocol="TCP"|addressType,endpoints[0].addresses
            events.k8s.io|events|{"note":"n"}||eventTime,reportingController,reportingInstance,action,reason
            scheduling.k8s.io|priorityclasses|{"value":2000000000}|/preemptionPolicy="PreemptLowerPriority"|value
            storage.k8s.io|storageclasses|{"reclaimPolicy":"Recycle"}|/volumeBindingMode="Immediate"|provisioner,reclaimPolicy
            certificates.k8s.io|certificatesigningrequests|{"spec":{"request":"bm90IGEgY3Ny"}}|/status={}|spec.request,spec.signerName
            admissionregistration.k8s.io|validatingwebhookconfigurations|{"webhooks":[{"name":"short","clientConfig":{"url":"https://x"},"admissionReviewVersions":["v1"],"sideEffects":"None"}]}|/webhooks/0/failurePolicy="Fail"|webhooks[0].name
            admissionregistration.k8s.io|mutatingwebhookconfigurations|{"webhooks":[{"name":"a.b.c","clientConfig":{"service":{"namespace":"n","name":"s"}},"timeoutSeconds":31}]}|/webhooks/0/clientConfig/service/port=443|webhooks[0].sideEffects,webhooks[0].admissionReviewVersions,webhooks[0].timeoutSeconds
            apiregistration.k8s.io|apiservices|{"spec":{"group":"example.com","version":"v1","groupPriorityMinimum":100,"versionPriority":10,"service":{"namespace":"n","name":"s"}}}|/spec/service/port=443|metadata.name
            """)
    void defaultsAndValidation(String group, String plural, String object, String defaulted, String causes) {
        ResourceType type = BuiltinResources.find(group.equals("core") ? "" : group, "v1", plural).orElseThrow();
        ResourceStrategy strategy = Strategies.of(type);
        ObjectNode node = Json.parseObject(object.replace("SEL", SELECTOR).replace("TPL", TEMPLATE).replace("POD", POD)
                .getBytes(StandardCharsets.UTF_8));
        Json.metadata(node).put("name", "x").put("uid", "0000-1111");
        strategy.prepareForCreate(node);
        strategy.applyDefaults(node);

        if (defaulted != null && !defaulted.isEmpty()) {
            int equals = defaulted.indexOf('=');
            JsonNode expected = Json.MAPPER.readTree(defaulted.substring(equals + 1));
            assertThat(node.at(defaulted.substring(0, equals))).as(defaulted).isEqualTo(expected);
        }
        List<String> fields = strategy.validate(node).stream().map(StatusCause::field).toList();
        assertThat(fields).as(Json.string(node)).containsExactlyElementsOf(
                causes == null || causes.isEmpty() ? List.of() : List.of(causes.split(",")));
    }
}
