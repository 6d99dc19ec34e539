package dev.splitter.core;

import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.Change;
import java.util.List;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * What a deploy would do, decided without writing anything.
 *
 * @param realtimeApis one entry per Realtime API in the file, in file order
 * @param splitters one entry per Traffic Splitter in the file, in file order
 * @param warnings what the deploy would warn about (a target that is not live)
 */
@API(status = API.Status.STABLE)
public record Plan(List<ApiStep> realtimeApis, List<Step> splitters, List<String> warnings) {

  public Plan {
    realtimeApis = List.copyOf(realtimeApis);
    splitters = List.copyOf(splitters);
    warnings = List.copyOf(warnings);
  }

  /** Whether a deploy would write no splitter. */
  public boolean upToDate() {
    return splitters.stream().allMatch(step -> step.change() == Change.UNCHANGED);
  }

  /**
   * The plan for people: a line per resource ({@code would create traffic-splitter
   * (TrafficSplitter)}), each splitter's differences indented under it.
   */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (ApiStep api : realtimeApis) {
      text.append(api).append('\n');
    }
    for (Step step : splitters) {
      text.append(Display.planned(step.change(), step.desired().name(), "TrafficSplitter"))
          .append('\n');
      step.differences().forEach(line -> text.append("  ").append(line).append('\n'));
    }
    return text.toString();
  }

  /**
   * What a deploy would do to one Realtime API of the file.
   *
   * @param name the API's name
   * @param deployed whether it runs already
   * @param deployable whether this deployer deploys the file's Realtime APIs (it has a {@code
   *     RealtimeApiDeployer}); when not, the deploy leaves the API as it runs
   */
  public record ApiStep(String name, boolean deployed, boolean deployable) {
    @Override
    public String toString() {
      String resource = name + " (RealtimeAPI)";
      if (!deployable) {
        return resource + " would be left as it runs (nothing here deploys RealtimeAPIs)";
      }
      return deployed ? "would deploy " + resource + " again" : "would create " + resource;
    }
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
