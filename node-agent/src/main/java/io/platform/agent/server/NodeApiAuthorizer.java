package io.platform.agent.server;

import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * May this user do this to this node, as the kubelet's {@code --authorization-mode=Webhook}: a
 * SubjectAccessReview to the API server for {@code nodes/<subresource>} named after this node, answers kept for a
 * while (allowed and denied for different times). An API server that cannot answer fails the call, uncached.
 */
@Component
class NodeApiAuthorizer {

    private record Question(String user, String uid, List<String> groups, Map<String, List<String>> extra,
            NodeRequestAttributes attributes) {}

    private final KubernetesClient client;
    private final AgentApiProperties properties;
    private final ExpiringCache<Question, Boolean> answers;

    NodeApiAuthorizer(KubernetesClient client, AgentApiProperties properties, Clock clock) {
        this.client = client;
        this.properties = properties;
        this.answers = new ExpiringCache<>(clock, 4096);
    }

    Mono<Boolean> allowed(RequestUser user, NodeRequestAttributes attributes) {
        Question question = new Question(user.name(), user.uid(), user.groups(), user.extra(), attributes);
        Boolean cached = answers.get(question);
        if (cached != null) {
            return Mono.just(cached);
        }
        return Mono.fromCallable(() -> review(user, attributes))
                .subscribeOn(Schedulers.boundedElastic())
                .doOnNext(allowed -> answers.put(question, allowed, allowed
                        ? properties.authorizationAllowedCacheTtl() : properties.authorizationDeniedCacheTtl()));
    }

    private boolean review(RequestUser user, NodeRequestAttributes attributes) {
        SubjectAccessReview answer = client.authorization().v1().subjectAccessReview().create(new SubjectAccessReviewBuilder()
                .withNewSpec()
                .withUser(user.name())
                .withUid(user.uid().isEmpty() ? null : user.uid())
                .withGroups(user.groups())
                .withExtra(user.extra().isEmpty() ? null : user.extra())
                .withNewResourceAttributes()
                .withGroup("")
                .withVersion("v1")
                .withResource(NodeRequestAttributes.RESOURCE)
                .withName(attributes.nodeName())
                .withSubresource(attributes.subresource())
                .withVerb(attributes.verb())
                .endResourceAttributes()
                .endSpec()
                .build());
        return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
    }
}
