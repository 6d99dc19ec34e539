package dev.splitter.k8s.internal;

import dev.splitter.support.BackendCalls;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.apiguardian.api.API;

/** Reads the API server's refusals in its own words, for {@link BackendCalls}. */
@API(status = API.Status.INTERNAL)
public final class ApiServerErrors {
  private ApiServerErrors() {}

  /** Calls to the API server for one backend. */
  public static BackendCalls calls(String backend) {
    return BackendCalls.of(backend, ApiServerErrors::describe);
  }

  /** What a failure says: the server's status and message; other failures as any other. */
  public static BackendCalls.Failure describe(RuntimeException e) {
    if (!(e instanceof KubernetesClientException client)) {
      return BackendCalls.Failure.of(e);
    }
    int code = client.getCode();
    // Code 0: no HTTP answer at all (refused, timed out).
    String status = code == 0 ? "no answer" : "HTTP " + code;
    return new BackendCalls.Failure(
        status + ": " + serverMessage(client), BackendCalls.retryableStatus(code), null);
  }

  /** The Status message the server sent, else the client's own. */
  public static String serverMessage(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getStatus().getMessage();
    }
    return String.valueOf(e.getMessage());
  }
}
