package dev.splitter.core;

import dev.splitter.spi.Change;
import java.util.List;
import org.apiguardian.api.API;

/**
 * What a deploy did, one outcome per resource: the file's Realtime APIs first (when a {@code
 * RealtimeApiDeployer} deploys them), then its Traffic Splitters, each in file order.
 *
 * @param outcomes what happened to each resource
 * @param warnings things that did not stop the deploy but deserve a look (a target that is not
 *     live, an old endpoint route that could not be removed)
 */
@API(status = API.Status.STABLE)
public record DeployResult(List<Outcome> outcomes, List<String> warnings) {

  public DeployResult {
    outcomes = List.copyOf(outcomes);
    warnings = List.copyOf(warnings);
  }

  /** The Cortex lines, {@code created traffic-splitter (TrafficSplitter)}, one per outcome. */
  public List<String> messages() {
    return outcomes.stream().map(Outcome::message).toList();
  }

  /**
   * What happened to one resource.
   *
   * @param name the resource's name
   * @param kind its kind, as files spell it
   * @param change created, updated or unchanged
   */
  public record Outcome(String name, String kind, Change change) {
    /** The Cortex line for it. */
    public String message() {
      return Display.outcome(change, name, kind);
    }
  }
}
