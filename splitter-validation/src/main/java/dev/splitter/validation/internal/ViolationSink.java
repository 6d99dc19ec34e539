package dev.splitter.validation.internal;

import dev.splitter.Violation;
import dev.splitter.model.SplitterConfig;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/** Collects the violations of one configuration, each placed at its node in the file. */
@API(status = API.Status.INTERNAL)
public final class ViolationSink {
  private final SplitterConfig config;
  private final List<Violation> violations = new ArrayList<>();

  public ViolationSink(SplitterConfig config) {
    this.config = config;
  }

  /**
   * Records a violation.
   *
   * @param resourceIndex the resource's index in the configuration
   * @param path the field path inside the resource, such as {@code apis[1].weight}
   */
  public void add(int resourceIndex, String path, String code, String message) {
    violations.add(config.violationAt(resourceIndex, path, code, message));
  }

  /** Everything recorded, in file order. */
  public List<Violation> violations() {
    List<Violation> sorted = new ArrayList<>(violations);
    sorted.sort(Violation.inFileOrder());
    return sorted;
  }
}
