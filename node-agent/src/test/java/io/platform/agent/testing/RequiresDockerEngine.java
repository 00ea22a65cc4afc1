package io.platform.agent.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class or method only when a Docker engine answers at {@code DOCKER_HOST};
 * otherwise JUnit reports it skipped with that reason (unlike an assumption in {@code @BeforeAll},
 * which Maven shows as "Tests run: 0").
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(DockerEngineCondition.class)
public @interface RequiresDockerEngine {}
