package dev.splitter.validation;

import dev.splitter.InvalidConfigException;
import dev.splitter.Violation;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The outcome of validating a configuration: every violation found, in file order.
 *
 * <p>Immutable.
 *
 * @param violations every violation, in file order; empty when the configuration is valid
 */
@API(status = API.Status.STABLE)
public record ValidationReport(List<Violation> violations) {

  public ValidationReport {
    violations = List.copyOf(violations);
  }

  /** Whether the configuration breaks no rule. */
  public boolean valid() {
    return violations.isEmpty();
  }

  /**
   * Throws if the configuration breaks any rule.
   *
   * @throws InvalidConfigException listing every violation
   */
  public void throwIfInvalid() {
    if (!valid()) {
      throw new InvalidConfigException(violations);
    }
  }

  /** One line per violation, formatted {@code file:line:column: resource: path: message}. */
  @Override
  public String toString() {
    return valid()
        ? "valid"
        : String.join("\n", violations.stream().map(Violation::toString).toList());
  }
}
