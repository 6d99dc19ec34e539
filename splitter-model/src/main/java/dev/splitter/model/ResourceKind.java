package dev.splitter.model;

import java.util.Optional;
import org.apiguardian.api.API;

/** The {@code kind} of a resource in a configuration file. */
@API(status = API.Status.STABLE)
public enum ResourceKind {
  /** A {@link TrafficSplitter}. */
  TRAFFIC_SPLITTER("TrafficSplitter"),
  /** A {@link RealtimeApi}, the model server a splitter routes to. */
  REALTIME_API("RealtimeAPI");

  private final String yamlName;

  ResourceKind(String yamlName) {
    this.yamlName = yamlName;
  }

  /** The spelling in configuration files, such as {@code TrafficSplitter}. */
  public String yamlName() {
    return yamlName;
  }

  /** The kind spelled {@code yamlName} in a file, if splitter supports it. */
  public static Optional<ResourceKind> fromYamlName(String yamlName) {
    for (ResourceKind kind : values()) {
      if (kind.yamlName.equals(yamlName)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
