package io.platform.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** kube-apiserver's AuthenticatedGroupAdder rules for {@code system:authenticated}. */
class AuthenticatedUserTest {

    @Test
    void authenticatedUsersGainTheGroupLast() {
        assertThat(new AuthenticatedUser("admin", List.of("system:masters")).withAuthenticatedGroup().groups())
                .containsExactly("system:masters", "system:authenticated");
        assertThat(new AuthenticatedUser("alice", List.of()).withAuthenticatedGroup().groups())
                .containsExactly("system:authenticated");
    }

    @Test
    void theGroupIsNotAddedTwiceNorToTheUnauthenticated() {
        AuthenticatedUser already = new AuthenticatedUser("n", List.of("system:authenticated", "system:nodes"));
        assertThat(already.withAuthenticatedGroup().groups()).containsExactly("system:authenticated", "system:nodes");
        AuthenticatedUser unauthenticated = new AuthenticatedUser("x", List.of("system:unauthenticated"));
        assertThat(unauthenticated.withAuthenticatedGroup().groups()).containsExactly("system:unauthenticated");
        assertThat(AuthenticatedUser.anonymous().withAuthenticatedGroup()).isEqualTo(AuthenticatedUser.anonymous());
        assertThat(new AuthenticatedUser("system:anonymous", List.of()).withAuthenticatedGroup().groups()).isEmpty();
    }
}
