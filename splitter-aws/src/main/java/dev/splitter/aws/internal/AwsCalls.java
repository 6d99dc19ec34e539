package dev.splitter.aws.internal;

import dev.splitter.support.BackendCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * AWS calls for one backend: the SDK's failures read in AWS's words (error code, message, request
 * id), and paging for operations the SDK has no paginator for. Throttling and transient faults were
 * already retried by the client's own retry strategy by the time a failure arrives here.
 */
@API(status = API.Status.INTERNAL)
public final class AwsCalls {
  /** ELBv2's DescribeTags takes at most 20 ARNs. */
  public static final int TAGS_PER_CALL = 20;

  private AwsCalls() {}

  /** Calls for the backend of this name. */
  public static BackendCalls of(String backend) {
    return BackendCalls.of(backend, AwsCalls::describe);
  }

  /**
   * Every item of a paged AWS answer.
   *
   * @param fetch one call, given the previous page's token (null for the first)
   * @param items the page's items
   * @param next the page's next token; null or empty after the last page
   */
  public static <R, T> List<T> allPages(
      BackendCalls calls,
      String operation,
      String object,
      Function<@Nullable String, R> fetch,
      Function<R, List<T>> items,
      Function<R, @Nullable String> next) {
    List<T> all = new ArrayList<>();
    String token = null;
    do {
      String page = token;
      R response = calls.call(operation, object, () -> fetch.apply(page));
      all.addAll(items.apply(response));
      token = next.apply(response);
    } while (token != null && !token.isEmpty());
    return all;
  }

  /** {@code items} cut into consecutive lists of at most {@code size}. */
  public static <T> List<List<T>> batches(List<T> items, int size) {
    List<List<T>> batches = new ArrayList<>();
    for (int from = 0; from < items.size(); from += size) {
      batches.add(items.subList(from, Math.min(items.size(), from + size)));
    }
    return batches;
  }

  private static BackendCalls.Failure describe(RuntimeException e) {
    if (e instanceof AwsServiceException service) {
      boolean retryable =
          service.retryable()
              || service.isThrottlingException()
              || BackendCalls.retryableStatus(service.statusCode());
      if (service.awsErrorDetails() == null) {
        return new BackendCalls.Failure(
            String.valueOf(service.getMessage()), retryable, service.requestId());
      }
      return new BackendCalls.Failure(
          service.awsErrorDetails().errorCode() + ": " + service.awsErrorDetails().errorMessage(),
          retryable,
          service.requestId());
    }
    if (e instanceof SdkException sdk) {
      // A client exception means no answer came back (refused, timed out): try again.
      boolean retryable = sdk instanceof SdkClientException || sdk.retryable();
      return new BackendCalls.Failure(String.valueOf(sdk.getMessage()), retryable, null);
    }
    return BackendCalls.Failure.of(e);
  }
}
