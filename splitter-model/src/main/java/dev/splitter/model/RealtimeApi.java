package dev.splitter.model;

import static java.util.Objects.requireNonNull;

import dev.splitter.model.internal.ResourceName;
import dev.splitter.model.internal.Trees;
import jakarta.validation.Valid;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * A Realtime API: a model server that a {@link TrafficSplitter} can route to.
 *
 * <p>splitter does not run model servers. It reads a Realtime API's name and networking, and keeps
 * every other key (predictor, compute, autoscaling, ...) as an opaque tree that is written back
 * unchanged.
 *
 * @param name the API's name
 * @param networking the API's endpoint and API Gateway setting
 * @param extra every other key of the resource, in file order: nested maps and lists are
 *     unmodifiable, leaves are {@code String}, {@code Boolean}, {@code Long}, {@code BigInteger},
 *     {@code Double} or {@code null}
 */
@API(status = API.Status.STABLE)
public record RealtimeApi(
    @ResourceName String name, @Valid Networking networking, Map<String, Object> extra)
    implements ApiResource {

  public RealtimeApi {
    requireNonNull(name, "name");
    requireNonNull(networking, "networking");
    extra = Trees.immutableMap(requireNonNull(extra, "extra"));
  }

  /** A Realtime API with default networking and no other keys. */
  public static RealtimeApi of(String name) {
    return new RealtimeApi(name, Networking.defaultsFor(name), Map.of());
  }

  @Override
  public ResourceKind kind() {
    return ResourceKind.REALTIME_API;
  }
}
