package dev.splitter;

import dev.splitter.model.SplitterConfig;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A configuration that cannot be read or breaks a rule. Nothing was deployed or changed.
 *
 * <p>The message's first line is a summary; each following line is one violation formatted as
 * {@code file:line:column: resource: path: message}. {@link #violations()} gives the same as data.
 */
@API(status = API.Status.STABLE)
public final class InvalidConfigException extends SplitterException {
  private static final long serialVersionUID = 1L;

  private final transient List<Violation> violations;
  private final transient @Nullable SplitterConfig partial;

  /**
   * @param violations at least one violation
   */
  public InvalidConfigException(List<Violation> violations) {
    this(violations, null);
  }

  /**
   * @param violations at least one violation
   * @param partial the file as far as it could be read, each broken part replaced by a neutral
   *     stand-in, for the rules to check everything else; null when nothing could be read
   */
  public InvalidConfigException(List<Violation> violations, @Nullable SplitterConfig partial) {
    super(describe(violations));
    this.violations = List.copyOf(violations);
    this.partial = partial;
  }

  /** Every violation found, in file order. Never empty. */
  public List<Violation> violations() {
    return violations;
  }

  /**
   * The file as far as it could be read, when these are problems of reading it (wrong types,
   * unknown keys): broken parts replaced by stand-ins. {@code SplitterValidator.combine} checks it
   * with the rules, so that one run reports every problem; empty when nothing could be read.
   */
  public Optional<SplitterConfig> partial() {
    return Optional.ofNullable(partial);
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
