package dev.splitter;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The root of every exception splitter throws. Unchecked: catch it where you can act on it.
 *
 * <p>Subtypes say whose fault a failure is and carry its details in accessors, not only in the
 * message: {@link InvalidConfigException} for a configuration that breaks a rule.
 */
@API(status = API.Status.STABLE)
public abstract class SplitterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected SplitterException(String message) {
    super(message);
  }

  /**
   * @param cause the failure underneath, if any
   */
  protected SplitterException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
