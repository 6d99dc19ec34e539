package dev.splitter.core;

import static java.util.Objects.requireNonNull;

import dev.splitter.SplitterException;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A backend failed or answered something unexpected. The configuration may be fine; what the
 * deployer had written was rolled back (on create) or restored (on update) before this was thrown.
 */
@API(status = API.Status.STABLE)
public final class BackendException extends SplitterException {
  private static final long serialVersionUID = 1L;

  private final String backend;
  private final String operation;
  private final String object;
  private final boolean retryable;
  private final @Nullable String requestId;

  private BackendException(Builder builder) {
    super(
        builder.backend + ": " + builder.operation + " " + builder.object + ": " + builder.message,
        builder.cause);
    this.backend = builder.backend;
    this.operation = builder.operation;
    this.object = builder.object;
    this.retryable = builder.retryable;
    this.requestId = builder.requestId;
  }

  /**
   * A builder for a failure of one operation on one object.
   *
   * <pre>{@code
   * throw BackendException.builder("istio", "apply", "VirtualService default/ts")
   *     .message("409 Conflict: the object was changed meanwhile")
   *     .retryable(true)
   *     .cause(e)
   *     .build();
   * }</pre>
   *
   * @param backend the backend's name, such as {@code local} or {@code istio}
   * @param operation what was being done, such as {@code apply}
   * @param object the object it was done to, such as the splitter's name
   */
  public static Builder builder(String backend, String operation, String object) {
    return new Builder(backend, operation, object);
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

  /** Builds a {@link BackendException}. Not thread-safe. */
  public static final class Builder {
    private final String backend;
    private final String operation;
    private final String object;
    private String message = "failed";
    private boolean retryable;
    private @Nullable String requestId;
    private @Nullable Throwable cause;

    private Builder(String backend, String operation, String object) {
      this.backend = requireNonNull(backend, "backend");
      this.operation = requireNonNull(operation, "operation");
      this.object = requireNonNull(object, "object");
    }

    /** What went wrong, in words. Default: {@code failed}. */
    public Builder message(String message) {
      this.message = requireNonNull(message, "message");
      return this;
    }

    /** Whether the same call may succeed later. Default: false. */
    public Builder retryable(boolean retryable) {
      this.retryable = retryable;
      return this;
    }

    /** The backend's own id for the failed request, if it gave one. */
    public Builder requestId(@Nullable String requestId) {
      this.requestId = requestId;
      return this;
    }

    /** The backend's exception, if any. */
    public Builder cause(@Nullable Throwable cause) {
      this.cause = cause;
      return this;
    }

    public BackendException build() {
      return new BackendException(this);
    }
  }
}
