package dev.splitter.k8s;

import static java.util.Objects.requireNonNull;

import org.apiguardian.api.API;

/**
 * Names the Kubernetes Service that serves a Realtime API: a VirtualService's destination host, an
 * HTTPRoute's backendRef.
 */
@FunctionalInterface
@API(status = API.Status.STABLE)
public interface ServiceResolver {

  /** The Service (or, for Istio, any host it can route to) that serves {@code apiName}. */
  String serviceFor(String apiName);

  /** The Service named after the API, in the routing object's namespace. The default. */
  static ServiceResolver sameName() {
    return apiName -> apiName;
  }

  /** The Service named after the API with a prefix, such as {@code api-} for {@code api-my-api}. */
  static ServiceResolver prefixed(String prefix) {
    requireNonNull(prefix, "prefix");
    return apiName -> prefix + apiName;
  }
}
