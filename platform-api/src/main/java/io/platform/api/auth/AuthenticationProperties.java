package io.platform.api.auth;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Authentication settings of the API server ({@code platform.api.authentication.*}).
 *
 * @param apiAudiences the audiences a bearer token must be meant for to authenticate a request, as kube-apiserver's
 *     {@code --api-audiences}; empty means the ServiceAccount issuer ({@code platform.api.service-account.issuer})
 */
@ConfigurationProperties("platform.api.authentication")
public record AuthenticationProperties(@DefaultValue List<String> apiAudiences) {}
