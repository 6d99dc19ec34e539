package dev.splitter;

import java.util.List;

/**
 * A configuration that cannot be read or breaks a rule. Nothing was deployed or changed.
 *
 * <p>The message's first line is a summary; each following line is one violation formatted as
 * {@code file:line:column: resource: path: message}. {@link #violations()} gives the same as data.
 */
public final class InvalidConfigException extends SplitterException {
  private static final long serialVersionUID = 1L;

  private final transient List<Violation> violations;

  /**
   * @param violations at least one violation
   */
  public InvalidConfigException(List<Violation> violations) {
    super(describe(violations));
    this.violations = List.copyOf(violations);
  }

  /** Every violation found, in file order. Never empty. */
  public List<Violation> violations() {
    return violations;
  }

  private static String describe(List<Violation> violations) {
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("violations must not be empty");
    }
    String source = violations.get(0).source();
    StringBuilder message =
        new StringBuilder(source)
            .append(": ")
            .append(violations.size())
            .append(violations.size() == 1 ? " problem" : " problems");
    for (Violation violation : violations) {
      message.append('\n').append(violation);
    }
    return message.toString();
  }
}
