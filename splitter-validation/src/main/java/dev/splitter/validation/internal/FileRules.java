package dev.splitter.validation.internal;

import dev.splitter.model.ApiGateway;
import dev.splitter.model.ApiResource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/** The rules that span a whole file: unique names, unique endpoints, the API Gateway setting. */
@API(status = API.Status.INTERNAL)
public final class FileRules {
  private FileRules() {}

  /**
   * Checks every resource of a file.
   *
   * @param apiGatewayEnabled whether the environment has an API Gateway for public endpoints
   */
  public static void check(
      List<ApiResource> resources, boolean apiGatewayEnabled, ViolationSink sink) {
    Map<String, Integer> firstWithName = new HashMap<>();
    Map<String, Integer> firstWithEndpoint = new HashMap<>();
    for (int i = 0; i < resources.size(); i++) {
      ApiResource resource = resources.get(i);
      Integer sameName = firstWithName.putIfAbsent(resource.name(), i);
      if (sameName != null) {
        sink.add(
            i,
            "name",
            "name.duplicate",
            "name "
                + resource.name()
                + " must be unique across apis (also used by resources["
                + sameName
                + "])");
      }
      String endpoint = resource.networking().endpoint();
      Integer sameEndpoint = firstWithEndpoint.putIfAbsent(endpoint, i);
      if (sameEndpoint != null) {
        sink.add(
            i,
            "networking.endpoint",
            "endpoint.duplicate",
            "endpoint "
                + endpoint
                + " must be unique across apis (also used by "
                + resources.get(sameEndpoint).name()
                + ")");
      }
      if (!apiGatewayEnabled && resource.networking().apiGateway() == ApiGateway.PUBLIC) {
        sink.add(
            i,
            "networking.api_gateway",
            "api_gateway.disabled",
            "is public (the default), but this environment has no API Gateway; set"
                + " networking.api_gateway: none");
      }
    }
  }
}
