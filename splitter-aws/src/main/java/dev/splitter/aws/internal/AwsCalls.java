package dev.splitter.aws.internal;

import dev.splitter.core.BackendException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Runs AWS calls for one backend, turning the SDK's failures into {@link BackendException}s that
 * name the operation, the object and AWS's request id. Throttling and transient faults were already
 * retried by the client's own retry strategy by the time one arrives here.
 */
public final class AwsCalls {
  /** ELBv2's DescribeTags takes at most 20 ARNs. */
  public static final int TAGS_PER_CALL = 20;

  private final String backend;

  public AwsCalls(String backend) {
    this.backend = backend;
  }

  public String backend() {
    return backend;
  }

  /**
   * @param operation the AWS operation, such as {@code CreateRule}
   * @param object what it works on, such as {@code rule for traffic-splitter}
   */
  public <T> T call(String operation, String object, Supplier<T> action) {
    try {
      return action.get();
    } catch (SdkException e) {
      throw failure(operation, object, e);
    }
  }

  public void run(String operation, String object, Runnable action) {
    call(
        operation,
        object,
        () -> {
          action.run();
          return null;
        });
  }

  /** A failure found by our own checks, before or after a call. */
  public BackendException refuse(String operation, String object, String message) {
    return BackendException.builder(backend, operation, object).message(message).build();
  }

  /**
   * Every item of a paged AWS answer, for operations the SDK has no paginator for.
   *
   * @param fetch one call, given the previous page's token (null for the first)
   * @param items the page's items
   * @param next the page's next token; null or empty after the last page
   */
  public <R, T> List<T> allPages(
      String operation,
      String object,
      Function<@Nullable String, R> fetch,
      Function<R, List<T>> items,
      Function<R, @Nullable String> next) {
    List<T> all = new ArrayList<>();
    String token = null;
    do {
      String page = token;
      R response = call(operation, object, () -> fetch.apply(page));
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

  private BackendException failure(String operation, String object, SdkException e) {
    if (e instanceof AwsServiceException service) {
      String code =
          service.awsErrorDetails() == null ? "" : service.awsErrorDetails().errorCode() + ": ";
      String message =
          service.awsErrorDetails() == null
              ? String.valueOf(service.getMessage())
              : service.awsErrorDetails().errorMessage();
      boolean retryable =
          service.retryable() || service.isThrottlingException() || service.statusCode() >= 500;
      return BackendException.builder(backend, operation, object)
          .message(code + message)
          .retryable(retryable)
          .requestId(service.requestId())
          .cause(e)
          .build();
    }
    boolean retryable = e instanceof SdkClientException || e.retryable();
    return BackendException.builder(backend, operation, object)
        .message(String.valueOf(e.getMessage()))
        .retryable(retryable)
        .cause(e)
        .build();
  }
}
