package dev.splitter;

/**
 * The root of every exception splitter throws. Unchecked: catch it where you can act on it.
 *
 * <p>Subtypes say whose fault a failure is and carry its details in accessors, not only in the
 * message: {@link InvalidConfigException} for a configuration that breaks a rule.
 */
public abstract class SplitterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected SplitterException(String message) {
    super(message);
  }

  protected SplitterException(String message, Throwable cause) {
    super(message, cause);
  }
}
