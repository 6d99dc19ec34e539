package dev.splitter.support;

import static java.util.Objects.requireNonNull;

import dev.splitter.SplitterException;
import dev.splitter.core.BackendException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Runs one backend's calls and turns their failures into {@link BackendException}s that name the
 * backend, the operation and the object, keep the backend's own words, request id and whether a
 * retry may succeed. A {@link SplitterException} passes through unchanged.
 *
 * <pre>{@code
 * BackendCalls calls = BackendCalls.of("istio", e -> e instanceof KubernetesClientException k
 *     ? new BackendCalls.Failure(k.getMessage(), BackendCalls.retryableStatus(k.getCode()), null)
 *     : BackendCalls.Failure.of(e));
 * VirtualService found = calls.call("get", "VirtualService models/ts", () -> client...get());
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
@API(status = API.Status.MAINTAINED)
public final class BackendCalls {
  private static final int REQUEST_TIMEOUT = 408;
  private static final int TOO_MANY_REQUESTS = 429;

  private final String backend;
  private final Function<RuntimeException, Failure> translate;

  private BackendCalls(String backend, Function<RuntimeException, Failure> translate) {
    this.backend = requireNonNull(backend, "backend");
    this.translate = requireNonNull(translate, "translate");
  }

  /** Calls whose foreign failures are read by {@link Failure#of}. */
  public static BackendCalls of(String backend) {
    return new BackendCalls(backend, Failure::of);
  }

  /**
   * Calls whose foreign failures the backend reads itself.
   *
   * @param translate what a client library's exception says, in the backend's terms
   */
  public static BackendCalls of(String backend, Function<RuntimeException, Failure> translate) {
    return new BackendCalls(backend, translate);
  }

  /** The backend's name, as errors give it. */
  public String backend() {
    return backend;
  }

  /**
   * Runs {@code action}.
   *
   * @param operation what is done, such as {@code CreateRule} or {@code update}
   * @param object what it is done to, such as {@code VirtualService models/traffic-splitter}
   * @throws BackendException if it fails
   */
  public <T> T call(String operation, String object, Supplier<T> action) {
    try {
      return action.get();
    } catch (SplitterException e) {
      throw e;
    } catch (RuntimeException e) {
      throw failure(operation, object, e);
    }
  }

  /** Runs {@code action}; see {@link #call}. */
  public void run(String operation, String object, Runnable action) {
    call(
        operation,
        object,
        () -> {
          action.run();
          return null;
        });
  }

  /** A foreign failure of one call, as this backend reads it. */
  public BackendException failure(String operation, String object, RuntimeException e) {
    Failure failure = translate.apply(e);
    return BackendException.builder(backend, operation, object)
        .message(failure.message())
        .retryable(failure.retryable())
        .requestId(failure.requestId())
        .cause(e)
        .build();
  }

  /** A failure found by the backend's own checks, before or after a call: not retryable. */
  public BackendException refuse(String operation, String object, String message) {
    return BackendException.builder(backend, operation, object).message(message).build();
  }

  /**
   * Whether an HTTP answer of this status may succeed if sent again: none at all (0), a timeout, a
   * conflict, throttling, or a server error.
   */
  public static boolean retryableStatus(int status) {
    return status == 0
        || status == REQUEST_TIMEOUT
        || status == HttpURLConnection.HTTP_CONFLICT
        || status == TOO_MANY_REQUESTS
        || status >= HttpURLConnection.HTTP_INTERNAL_ERROR;
  }

  /**
   * What a foreign failure says.
   *
   * @param message the backend's own words
   * @param retryable whether the same call may succeed later
   * @param requestId the backend's id for the failed request, if it gave one
   */
  public record Failure(String message, boolean retryable, @Nullable String requestId) {
    public Failure {
      requireNonNull(message, "message");
    }

    /**
     * The failure's message; retryable when I/O failed or timed out somewhere in its causes (the
     * call may not have arrived), else not.
     */
    public static Failure of(RuntimeException e) {
      return new Failure(String.valueOf(e.getMessage()), ioFailure(e), null);
    }

    private static boolean ioFailure(Throwable e) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof IOException
            || cause instanceof UncheckedIOException
            || cause instanceof TimeoutException) {
          return true;
        }
      }
      return false;
    }
  }
}
