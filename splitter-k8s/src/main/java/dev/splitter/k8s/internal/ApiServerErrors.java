package dev.splitter.k8s.internal;

import dev.splitter.core.BackendException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;

/** Turns the API server's refusals into {@link BackendException}s that carry its own words. */
public final class ApiServerErrors {
  private static final int TOO_MANY_REQUESTS = 429;

  private ApiServerErrors() {}

  /**
   * @param object what was being worked on, such as {@code VirtualService models/traffic-splitter}
   */
  public static BackendException of(
      String backend, String operation, String object, KubernetesClientException e) {
    int code = e.getCode();
    // Code 0: no HTTP answer at all (refused, timed out).
    boolean retryable =
        code == 0
            || code == HttpURLConnection.HTTP_CONFLICT
            || code == TOO_MANY_REQUESTS
            || code >= HttpURLConnection.HTTP_INTERNAL_ERROR;
    String status = code == 0 ? "no answer" : "HTTP " + code;
    return BackendException.builder(backend, operation, object)
        .message(status + ": " + serverMessage(e))
        .retryable(retryable)
        .cause(e)
        .build();
  }

  /** The Status message the server sent, else the client's own. */
  public static String serverMessage(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getStatus().getMessage();
    }
    return String.valueOf(e.getMessage());
  }
}
