package dev.splitter;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import org.apiguardian.api.API;

/**
 * One broken rule in a configuration, with where it is and what to do about it.
 *
 * @param source the file name, or a description of where the configuration came from
 * @param line 1-based line of the offending node; 0 when the configuration has no source text
 * @param column 1-based column of the offending node; 0 when unknown
 * @param resource the name of the resource at fault (or {@code resources[i]} when it has none);
 *     empty for a problem with the whole file
 * @param path the field path inside the resource, such as {@code apis[1].weight}; empty for the
 *     resource itself or the whole file
 * @param code a stable identifier of the rule, such as {@code weight.range}, for tools to match on
 * @param message what is wrong, for a person
 */
@API(status = API.Status.STABLE)
public record Violation(
    String source,
    int line,
    int column,
    String resource,
    String path,
    String code,
    String message) {

  public Violation {
    requireNonNull(source, "source");
    requireNonNull(resource, "resource");
    requireNonNull(path, "path");
    requireNonNull(code, "code");
    requireNonNull(message, "message");
    if (line < 0 || column < 0) {
      throw new IllegalArgumentException("line and column must be >= 0");
    }
  }

  private static final Comparator<Violation> IN_FILE_ORDER =
      Comparator.comparingInt((Violation v) -> v.line() == 0 ? Integer.MAX_VALUE : v.line())
          .thenComparingInt(Violation::column)
          .thenComparing(Violation::path)
          .thenComparing(Violation::message);

  /** Orders violations as a reader meets them in a file; those with no position come last. */
  public static Comparator<Violation> inFileOrder() {
    return IN_FILE_ORDER;
  }

  /** Formats this violation as {@code file:line:column: resource: path: message}. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(source);
    if (line > 0) {
      text.append(':').append(line).append(':').append(column);
    }
    text.append(": ");
    if (!resource.isEmpty()) {
      text.append(resource).append(": ");
    }
    if (!path.isEmpty()) {
      text.append(path).append(": ");
    }
    return text.append(message).toString();
  }
}
