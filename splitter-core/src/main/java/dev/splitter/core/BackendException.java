package dev.splitter.core;

import static java.util.Objects.requireNonNull;

import dev.splitter.SplitterException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A backend failed or answered something unexpected. The configuration may be fine; what the
 * deployer had written was rolled back (on create) or restored (on update) before this was thrown.
 */
public final class BackendException extends SplitterException {
  private static final long serialVersionUID = 1L;

  private final String backend;
  private final String operation;
  private final String object;
  private final boolean retryable;
  private final @Nullable String requestId;

  /**
   * @param backend the backend's name, such as {@code local} or {@code istio}
   * @param operation what was being done, such as {@code apply}
   * @param object the object it was done to, such as the splitter's name
   * @param message what went wrong
   * @param retryable whether the same call may succeed later
   * @param requestId the backend's own id for the failed request, if it gave one
   * @param cause the backend's exception, if any
   */
  public BackendException(
      String backend,
      String operation,
      String object,
      String message,
      boolean retryable,
      @Nullable String requestId,
      @Nullable Throwable cause) {
    super(backend + ": " + operation + " " + object + ": " + message, cause);
    this.backend = requireNonNull(backend, "backend");
    this.operation = requireNonNull(operation, "operation");
    this.object = requireNonNull(object, "object");
    this.retryable = retryable;
    this.requestId = requestId;
  }

  public String backend() {
    return backend;
  }

  public String operation() {
    return operation;
  }

  public String object() {
    return object;
  }

  /** Whether the same call may succeed if tried again. */
  public boolean retryable() {
    return retryable;
  }

  /** The backend's own id for the failed request, if it gave one. */
  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }
}
