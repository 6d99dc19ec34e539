package dev.splitter.cli.internal;

import dev.splitter.cli.internal.Views.Compared;
import dev.splitter.cli.internal.Views.Deployed;
import dev.splitter.cli.internal.Views.Differences;
import dev.splitter.cli.internal.Views.Rendered;
import dev.splitter.cli.internal.Views.Status;
import dev.splitter.cli.internal.Views.Summary;
import dev.splitter.core.Comparison;
import dev.splitter.model.SplitterConfig;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apiguardian.api.API;

/**
 * Where the commands deploy: a backend in this process (Kubernetes, AWS) or a running {@code
 * splitter serve} reached over its admin endpoint.
 */
@API(status = API.Status.INTERNAL)
public interface Backend extends AutoCloseable {

  /**
   * Deploys a configuration, or with {@code dryRun} only plans it.
   *
   * @param config the configuration, already read (structural problems are the caller's)
   * @param text the text it was read from, for a target in another process to read again with the
   *     same positions
   * @throws dev.splitter.InvalidConfigException if the configuration breaks a rule
   */
  Deployed deploy(SplitterConfig config, String text, boolean dryRun);

  /**
   * The splitter's status, as {@code get NAME} shows it.
   *
   * @throws dev.splitter.core.NotDeployedException if there is no such splitter
   */
  Rendered<Status> get(String name);

  Rendered<List<Summary>> list();

  /**
   * Each live target of the splitter against its baseline, as {@code compare NAME} shows it.
   *
   * @throws dev.splitter.core.NotDeployedException if there is no such splitter
   */
  Rendered<Compared> compare(String name, Comparison.Options options);

  /**
   * The latest requests whose shadow answer disagreed with the live one, as {@code diff NAME} shows
   * them.
   *
   * @throws dev.splitter.core.NotDeployedException if there is no such splitter
   * @throws dev.splitter.core.BackendException if the backend does not compare shadow answers
   */
  Rendered<Differences> diff(String name, int limit);

  /**
   * The state of each API that takes traffic from these splitters ({@code live}, {@code updating},
   * …), by API name, read in one call however many splitters there are.
   *
   * @param deadline when the answer is no longer wanted; a target that cannot answer by then fails
   *     instead of waiting
   */
  Map<String, String> servingStates(List<String> splitters, Instant deadline);

  /**
   * Runs a rollout to its end (or goes on with the one in progress), handing each event to {@code
   * progress} as it happens.
   *
   * @throws dev.splitter.rollout.RolloutException if it cannot start or its rollback failed
   */
  Rollouts.End rollout(Rollouts.Request request, Consumer<Rollouts.Event> progress);

  /**
   * Aborts the rollout in progress on a splitter, restoring the weights from before it.
   *
   * @throws dev.splitter.rollout.RolloutException if none is in progress
   */
  Rollouts.End abortRollout(String splitter);

  /** The lines {@code delete} prints. */
  List<String> delete(String name);

  @Override
  void close();
}
