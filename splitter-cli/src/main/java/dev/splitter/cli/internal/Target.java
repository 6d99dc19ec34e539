package dev.splitter.cli.internal;

import dev.splitter.cli.internal.Views.Deployed;
import dev.splitter.cli.internal.Views.Rendered;
import dev.splitter.cli.internal.Views.Status;
import dev.splitter.cli.internal.Views.Summary;
import java.util.List;

/**
 * Where the commands deploy: a backend in this process (Kubernetes, AWS) or a running {@code
 * splitter serve} reached over its admin endpoint.
 */
public interface Target extends AutoCloseable {

  /**
   * Deploys configuration text, or with {@code dryRun} only plans it.
   *
   * @param sourceName the file name, for positions in errors
   * @throws dev.splitter.InvalidConfigException if the configuration breaks a rule
   */
  Deployed deploy(String text, String sourceName, boolean dryRun);

  /**
   * @throws dev.splitter.core.NotDeployedException if there is no such splitter
   */
  Rendered<Status> get(String name);

  Rendered<List<Summary>> list();

  /** The lines {@code delete} prints. */
  List<String> delete(String name);

  @Override
  void close();
}
