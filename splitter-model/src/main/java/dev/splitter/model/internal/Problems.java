package dev.splitter.model.internal;

import dev.splitter.InvalidConfigException;
import dev.splitter.Violation;
import dev.splitter.model.SourcePosition;
import dev.splitter.model.SplitterConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/** Collects what is wrong with a file while it is read, to report everything at once. */
@API(status = API.Status.INTERNAL)
public final class Problems {
  private record Problem(
      String path, @Nullable SourcePosition position, String code, String message) {}

  private final String source;
  private final List<Problem> problems = new ArrayList<>();

  public Problems(String source) {
    this.source = source;
  }

  /** Records a problem at an absolute {@linkplain Paths path}. */
  public void add(String path, @Nullable SourcePosition position, String code, String message) {
    problems.add(new Problem(path, position, code, message));
  }

  /** Whether nothing was collected. */
  public boolean isEmpty() {
    return problems.isEmpty();
  }

  /**
   * Throws everything collected so far, if anything.
   *
   * @param resourceName names the resource at an index, for the messages
   */
  public void throwIfAny(IntFunction<String> resourceName) {
    throwIfAny(resourceName, null);
  }

  /**
   * Throws every problem recorded, with the file as far as it could be read.
   *
   * @param partial see {@link InvalidConfigException#partial()}
   */
  public void throwIfAny(IntFunction<String> resourceName, @Nullable SplitterConfig partial) {
    if (problems.isEmpty()) {
      return;
    }
    List<Violation> violations = new ArrayList<>();
    for (Problem problem : problems) {
      int index = Paths.resourceIndex(problem.path());
      violations.add(
          violation(
              source,
              problem.position(),
              index < 0 ? "" : resourceName.apply(index),
              Paths.relative(problem.path()),
              problem.code(),
              problem.message()));
    }
    violations.sort(Violation.inFileOrder());
    throw new InvalidConfigException(violations, partial);
  }

  /** A problem with the whole file that stops reading at once. */
  public static InvalidConfigException fatal(
      String source, @Nullable SourcePosition position, String code, String message) {
    return new InvalidConfigException(List.of(violation(source, position, "", "", code, message)));
  }

  /** A violation at a position that may be unknown (line and column 0). */
  public static Violation violation(
      String source,
      @Nullable SourcePosition position,
      String resource,
      String path,
      String code,
      String message) {
    int line = position == null ? 0 : position.line();
    int column = position == null ? 0 : position.column();
    return new Violation(source, line, column, resource, path, code, message);
  }
}
