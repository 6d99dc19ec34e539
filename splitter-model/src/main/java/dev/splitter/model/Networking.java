package dev.splitter.model;

import static java.util.Objects.requireNonNull;

import dev.splitter.model.internal.EndpointPath;
import org.apiguardian.api.API;

/**
 * Where an API is reached: its endpoint path and whether it gets a public API Gateway route.
 *
 * <p>The endpoint is kept in canonical form, with a leading {@code /} and no trailing {@code /}:
 * {@code new Networking("my-api/", PUBLIC).endpoint()} is {@code "/my-api"}. A lone {@code /} stays
 * as it is so that validation can reject it.
 *
 * @param endpoint the path of the API's endpoint
 * @param apiGateway whether the endpoint is exposed through the API Gateway
 */
@API(status = API.Status.STABLE)
public record Networking(@EndpointPath String endpoint, ApiGateway apiGateway) {

  public Networking {
    endpoint = canonicalEndpoint(requireNonNull(endpoint, "endpoint"));
    requireNonNull(apiGateway, "apiGateway");
  }

  /** The Cortex defaults for an API named {@code name}: endpoint {@code /name}, public gateway. */
  public static Networking defaultsFor(String name) {
    return new Networking("/" + name, ApiGateway.PUBLIC);
  }

  /** This networking with another endpoint (made canonical). */
  public Networking endpoint(String endpoint) {
    return new Networking(endpoint, apiGateway);
  }

  /** This networking with another API Gateway setting. */
  public Networking apiGateway(ApiGateway apiGateway) {
    return new Networking(endpoint, apiGateway);
  }

  private static String canonicalEndpoint(String endpoint) {
    String path = endpoint.startsWith("/") ? endpoint : "/" + endpoint;
    while (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return path;
  }
}
