package dev.splitter.cli.internal;

import dev.splitter.cli.internal.Views.Compared;
import dev.splitter.cli.internal.Views.Deployed;
import dev.splitter.cli.internal.Views.Differences;
import dev.splitter.cli.internal.Views.Rendered;
import dev.splitter.cli.internal.Views.Status;
import dev.splitter.cli.internal.Views.Summary;
import dev.splitter.core.Comparison;
import dev.splitter.core.DeployResult;
import dev.splitter.core.Deployer;
import dev.splitter.core.Display;
import dev.splitter.core.Plan;
import dev.splitter.core.SplitterStatus;
import dev.splitter.core.SplitterSummary;
import dev.splitter.core.internal.ShadowText;
import dev.splitter.model.SplitterConfig;
import dev.splitter.rollout.Rollout;
import dev.splitter.rollout.RolloutListener;
import dev.splitter.spi.ShadowDifference;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apiguardian.api.API;

/** A Deployer in this process, with whatever it holds to close afterwards. */
@API(status = API.Status.INTERNAL)
public final class InProcessBackend implements Backend {
  private final Deployer deployer;
  private final AutoCloseable resources;
  private final Clock clock;
  private final Runnable afterChange;
  private final Function<String, RolloutListener> watchers;

  public InProcessBackend(Deployer deployer, AutoCloseable resources, Clock clock) {
    this(deployer, resources, clock, () -> {}, splitter -> RolloutListener.none());
  }

  /**
   * @param afterChange run after each deploy or delete, even a failed one
   * @param watchers for each rollout, by its splitter's name, what else hears its events (serve's
   *     gauges and dashboard)
   */
  InProcessBackend(
      Deployer deployer,
      AutoCloseable resources,
      Clock clock,
      Runnable afterChange,
      Function<String, RolloutListener> watchers) {
    this.deployer = deployer;
    this.resources = resources;
    this.clock = clock;
    this.afterChange = afterChange;
    this.watchers = watchers;
  }

  /** The deployer the commands act through. */
  Deployer deployer() {
    return deployer;
  }

  @Override
  public Deployed deploy(SplitterConfig config, String text, boolean dryRun) {
    if (dryRun) {
      Plan plan = deployer.plan(config);
      return new Deployed(List.of(), plan.warnings(), plan.toString());
    }
    try {
      DeployResult result = deployer.deploy(config);
      return new Deployed(result.messages(), result.warnings(), null);
    } finally {
      afterChange.run();
    }
  }

  @Override
  public Rendered<Status> get(String name) {
    SplitterStatus status = deployer.get(name);
    return new Rendered<>(Status.of(status), status.toTable(clock.instant()));
  }

  @Override
  public Rendered<Compared> compare(String name, Comparison.Options options) {
    Comparison comparison = deployer.compare(name, options);
    return new Rendered<>(Compared.of(comparison), comparison.toTable());
  }

  @Override
  public Rendered<Differences> diff(String name, int limit) {
    List<ShadowDifference> differences = deployer.shadowDifferences(name, limit);
    return new Rendered<>(
        Differences.of(name, differences), ShadowText.differences(name, differences));
  }

  @Override
  public Rendered<List<Summary>> list() {
    List<SplitterSummary> summaries = deployer.list();
    return new Rendered<>(
        summaries.stream().map(Summary::of).toList(),
        SplitterSummary.toTable(summaries, clock.instant()));
  }

  @Override
  public Map<String, String> servingStates(List<String> splitters, Instant deadline) {
    Map<String, String> states = new TreeMap<>();
    deployer
        .servingStatuses(splitters)
        .forEach((api, status) -> states.put(api, Display.state(status.state())));
    return states;
  }

  @Override
  public Rollouts.End rollout(Rollouts.Request request, Consumer<Rollouts.Event> progress) {
    RolloutListener watching = watchers.apply(request.splitter());
    return Rollouts.End.of(
        request
            .on(
                deployer,
                event -> {
                  watching.onEvent(event);
                  progress.accept(new Rollouts.Event(event.type().name(), event.message()));
                })
            .run());
  }

  @Override
  public Rollouts.End abortRollout(String splitter) {
    return Rollouts.End.of(Rollout.abort(deployer, splitter));
  }

  @Override
  public List<String> delete(String name) {
    try {
      return deployer.delete(name).messages();
    } finally {
      afterChange.run();
    }
  }

  @Override
  public void close() {
    try {
      resources.close();
    } catch (Exception e) {
      throw new CliException("could not close the backend's clients: " + e.getMessage(), e);
    }
  }
}
