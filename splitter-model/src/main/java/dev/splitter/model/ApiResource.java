package dev.splitter.model;

import org.apiguardian.api.API;

/**
 * A resource of a configuration file: a {@link TrafficSplitter} or a {@link RealtimeApi}.
 *
 * <p>Implementations are immutable records.
 */
@API(status = API.Status.STABLE)
public sealed interface ApiResource permits TrafficSplitter, RealtimeApi {

  /** The resource's name, unique across a file. */
  String name();

  /** The resource's kind. */
  ResourceKind kind();

  /** Where the resource is reached, with defaults already applied. */
  Networking networking();
}
