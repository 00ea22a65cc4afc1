package io.platform.api.authorization;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Authorization settings ({@code platform.api.authorization.*}).
 *
 * @param modes the authorizers asked, in order, as kube-apiserver's {@code --authorization-mode}: {@code Node},
 *     {@code RBAC}, {@code AlwaysAllow}, {@code AlwaysDeny}; the first that allows or denies decides
 * @param nodeGraphWait how long a node's read of an object no pod of it references yet is asked again (without
 *     blocking) before it is refused: the node may have learnt of a new pod a moment before the node graph did
 */
@ConfigurationProperties("platform.api.authorization")
public record AuthorizationProperties(
        @DefaultValue({"Node", "RBAC"}) List<String> modes,
        @DefaultValue("1s") Duration nodeGraphWait) {

    public AuthorizationProperties {
        modes = List.copyOf(modes);
    }
}
