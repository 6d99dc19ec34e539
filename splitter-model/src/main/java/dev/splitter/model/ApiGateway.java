package dev.splitter.model;

import java.util.Optional;
import org.apiguardian.api.API;

/** Whether a public API Gateway endpoint is created for an API ({@code networking.api_gateway}). */
@API(status = API.Status.STABLE)
public enum ApiGateway {
  /** Expose the API through the public API Gateway (the default). */
  PUBLIC("public"),
  /** No API Gateway route: the load balancer is reached directly. */
  NONE("none");

  private final String yamlName;

  ApiGateway(String yamlName) {
    this.yamlName = yamlName;
  }

  /** The spelling in configuration files: {@code public} or {@code none}. */
  public String yamlName() {
    return yamlName;
  }

  /** The value spelled {@code yamlName} in a file, if there is one. */
  public static Optional<ApiGateway> fromYamlName(String yamlName) {
    for (ApiGateway value : values()) {
      if (value.yamlName.equals(yamlName)) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }
}
