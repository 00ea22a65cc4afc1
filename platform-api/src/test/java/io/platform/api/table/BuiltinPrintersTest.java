package io.platform.api.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.json.Json;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Cells of the printers of the built-in types beyond the skeleton's, as kube-apiserver fills them; one row per case. */
class BuiltinPrintersTest {

    /** Ten minutes after the objects below were created. */
    private final TableConverter converter =
            new TableConverter(Clock.fixed(Instant.parse("2025-01-01T00:10:00Z"), ZoneOffset.UTC));

    /** group (core for "") | plural | object without metadata | every cell after the name, joined by " ¦ ". */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            core|endpoints|{"subsets":[{"addresses":[{"ip":"10.0.0.1"},{"ip":"10.0.0.2"}],"ports":[{"port":80},{"port":443}]}]}|10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more... ¦ 10m
            core|endpoints|{}|<none> ¦ 10m
            core|resourcequotas|{"status":{"hard":{"pods":"10","limits.cpu":"2","cpu":"1"},"used":{"pods":"3"}}}|10m ¦ cpu: 0/1, pods: 3/10 ¦ limits.cpu: 0/2
            core|persistentvolumeclaims|{"spec":{"volumeName":"pv1","storageClassName":"fast","volumeMode":"Filesystem"},"status":{"phase":"Bound","capacity":{"storage":"5Gi"},"accessModes":["ReadWriteMany","ReadWriteOnce"]}}|Bound ¦ pv1 ¦ 5Gi ¦ RWO,RWX ¦ fast ¦ <unset> ¦ 10m ¦ Filesystem
            core|persistentvolumes|{"spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOncePod"],"persistentVolumeReclaimPolicy":"Delete","claimRef":{"namespace":"a","name":"b"}},"status":{"phase":"Bound"}}|1Gi ¦ RWOP ¦ Delete ¦ Bound ¦ a/b ¦  ¦ <unset> ¦  ¦ 10m ¦ <unset>
            core|replicationcontrollers|{"spec":{"replicas":3,"selector":{"b":"2","a":"1"},"template":{"spec":{"containers":[{"name":"x","image":"i1"},{"name":"y","image":"i2"}]}}},"status":{"replicas":2,"readyReplicas":1}}|3 ¦ 2 ¦ 1 ¦ 10m ¦ x,y ¦ i1,i2 ¦ a=1,b=2
            apps|statefulsets|{"spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"db","image":"pg"}]}}},"status":{"readyReplicas":2}}|2/3 ¦ 10m ¦ db ¦ pg
            apps|daemonsets|{"spec":{"selector":{"matchLabels":{"app":"a"}},"template":{"spec":{"nodeSelector":{"os":"linux"},"containers":[{"name":"c","image":"i"}]}}},"status":{"desiredNumberScheduled":2,"currentNumberScheduled":2,"numberReady":1,"updatedNumberScheduled":2,"numberAvailable":1}}|2 ¦ 2 ¦ 1 ¦ 2 ¦ 1 ¦ os=linux ¦ 10m ¦ c ¦ i ¦ app=a
            apps|controllerrevisions|{"revision":4}|<none> ¦ 4 ¦ 10m
            batch|jobs|{"spec":{"completions":3},"status":{"succeeded":3,"startTime":"2025-01-01T00:01:00Z","completionTime":"2025-01-01T00:01:42Z","conditions":[{"type":"Complete","status":"True"}]}}|Complete ¦ 3/3 ¦ 42s ¦ 10m ¦  ¦  ¦ <none>
            batch|jobs|{"spec":{"parallelism":4,"suspend":true},"status":{"conditions":[{"type":"Suspended","status":"True"}]}}|Suspended ¦ 0/1 of 4 ¦  ¦ 10m ¦  ¦  ¦ <none>
            batch|jobs|{"spec":{"completions":1},"status":{"startTime":"2025-01-01T00:05:00Z","conditions":[{"type":"Failed","status":"True"}]}}|Failed ¦ 0/1 ¦ 5m ¦ 10m ¦  ¦  ¦ <none>
            batch|cronjobs|{"spec":{"schedule":"@daily","suspend":false,"timeZone":"Etc/UTC"},"status":{"active":[{"name":"j"}],"lastScheduleTime":"2025-01-01T00:09:00Z"}}|@daily ¦ Etc/UTC ¦ False ¦ 1 ¦ 60s ¦ 10m ¦  ¦  ¦ <none>
            networking.k8s.io|ingresses|{"spec":{"ingressClassName":"nginx","rules":[{"host":"a"},{"host":"b"},{},{"host":"d"},{"host":"e"}],"tls":[{}]},"status":{"loadBalancer":{"ingress":[{"ip":"1.2.3.4"},{"hostname":"lb.example"}]}}}|nginx ¦ a,b,d + 2 more... ¦ 1.2.3.4,lb.example ¦ 80, 443 ¦ 10m
            networking.k8s.io|ingresses|{"spec":{"defaultBackend":{}}}|<none> ¦ * ¦  ¦ 80 ¦ 10m
            networking.k8s.io|ingressclasses|{"spec":{"controller":"k8s.io/ingress-nginx"}}|k8s.io/ingress-nginx ¦ <none> ¦ 10m
            networking.k8s.io|networkpolicies|{"spec":{"podSelector":{}}}|<none> ¦ 10m
            policy|poddisruptionbudgets|{"spec":{"maxUnavailable":1},"status":{"disruptionsAllowed":1}}|N/A ¦ 1 ¦ 1 ¦ 10m
            rbac.authorization.k8s.io|rolebindings|{"roleRef":{"kind":"ClusterRole","name":"view"},"subjects":[{"kind":"User","name":"a"},{"kind":"User","name":"b"},{"kind":"Group","name":"g"},{"kind":"ServiceAccount","namespace":"n","name":"s"}]}|ClusterRole/view ¦ 10m ¦ a, b ¦ g ¦ n:s
            rbac.authorization.k8s.io|clusterroles|{}|2025-01-01T00:00:00Z
            discovery.k8s.io|endpointslices|{"addressType":"IPv4","ports":[{"name":"http"},{"port":80}],"endpoints":[{"addresses":["1.1.1.1"]},{"addresses":["2.2.2.2"]},{"addresses":["3.3.3.3"]},{"addresses":["4.4.4.4"]}]}|IPv4 ¦ http,80 ¦ 1.1.1.1,2.2.2.2,3.3.3.3 + 1 more... ¦ 10m
            discovery.k8s.io|endpointslices|{"addressType":"IPv6"}|IPv6 ¦ <unset> ¦ <unset> ¦ 10m
            scheduling.k8s.io|priorityclasses|{"value":100,"globalDefault":true,"preemptionPolicy":"Never"}|100 ¦ true ¦ 10m ¦ Never
            storage.k8s.io|storageclasses|{"provisioner":"p","allowVolumeExpansion":true}|p ¦ Delete ¦ Immediate ¦ true ¦ 10m
            certificates.k8s.io|certificatesigningrequests|{"spec":{"signerName":"s","username":"u","expirationSeconds":3600},"status":{"conditions":[{"type":"Denied"},{"type":"Failed"}]}}|10m ¦ s ¦ u ¦ 60m ¦ Denied,Failed
            admissionregistration.k8s.io|validatingwebhookconfigurations|{"webhooks":[{},{}]}|2 ¦ 10m
            apiregistration.k8s.io|apiservices|{"status":{"conditions":[{"type":"Available","status":"False","reason":"MissingEndpoints"}]}}|Local ¦ False (MissingEndpoints) ¦ 10m
            autoscaling|horizontalpodautoscalers|{"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"minReplicas":2,"maxReplicas":9,"metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":60}}},{"type":"Pods","pods":{"target":{"type":"AverageValue","averageValue":"1k"}}},{"type":"External","external":{"target":{"type":"Value","value":"3"}}}]},"status":{"currentReplicas":4,"currentMetrics":[{"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":45}}}]}}|Deployment/web ¦ cpu: 45%/60%, <unknown>/1k + 1 more... ¦ 2 ¦ 9 ¦ 4 ¦ 10m
            events.k8s.io|events|{"eventTime":"2025-01-01T00:08:00.000000Z","reportingController":"c","reportingInstance":"i","reason":"R","type":"Warning","note":"n","regarding":{"kind":"Pod","name":"p","fieldPath":"spec"}}|2m ¦ Warning ¦ R ¦ pod/p ¦ spec ¦ c, i ¦ n ¦ 2m ¦ 1 ¦ x
            """)
    void cells(String group, String plural, String object, String cells) {
        ResourceType type = BuiltinResources.find(group.equals("core") ? "" : group, group.equals("autoscaling") ? "v2" : "v1", plural).orElseThrow();
        ObjectNode node = Json.parseObject(object.getBytes(StandardCharsets.UTF_8));
        Json.metadata(node).put("name", "x").put("creationTimestamp", "2025-01-01T00:00:00Z");

        JsonNode table = converter.toTable(type, List.of(node));

        List<String> expected = List.of(cells.split(" ¦ ", -1));
        JsonNode row = table.at("/rows/0/cells");
        assertThat(row.size()).isEqualTo(table.path("columnDefinitions").size());
        List<String> actual = row.values().stream().skip(type.plural().equals("events") ? 0 : 1)
                .map(c -> c.isString() ? c.stringValue() : c.toString()).toList();
        assertThat(String.join(" ¦ ", actual)).isEqualTo(String.join(" ¦ ", expected));
    }
}
