package dev.splitter.core;

import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.Change;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a deploy would do, decided without writing anything.
 *
 * @param splitters one entry per Traffic Splitter in the file, in file order
 */
public record Plan(List<Step> splitters) {

  public Plan {
    splitters = List.copyOf(splitters);
  }

  /** Whether a deploy would write nothing. */
  public boolean upToDate() {
    return splitters.stream().allMatch(step -> step.change() == Change.UNCHANGED);
  }

  /** The plan for people: a line per splitter, then its differences indented. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (Step step : splitters) {
      text.append(Display.outcome(step.change(), step.desired().name(), "TrafficSplitter"))
          .append('\n');
      step.differences().forEach(line -> text.append("  ").append(line).append('\n'));
    }
    return text.toString();
  }

  /**
   * The plan for one splitter.
   *
   * @param desired the splitter as the file asks for it
   * @param deployed the splitter as deployed now; null if it is not
   * @param change what a deploy would do to it
   * @param differences readable lines, one per changed field: {@code apis[my-api].weight: 20 ->
   *     30}; empty when unchanged
   */
  public record Step(
      TrafficSplitter desired,
      @Nullable TrafficSplitter deployed,
      Change change,
      List<String> differences) {
    public Step {
      differences = List.copyOf(differences);
    }
  }
}
