package dev.splitter.core;

import org.apiguardian.api.API;

/**
 * Hears a deploy's progress, for display. Called on the deploying thread; must not throw. A
 * listener that blocks holds up the deploy.
 */
@FunctionalInterface
@API(status = API.Status.STABLE)
public interface DeployListener {

  /** One step of a deploy. */
  void onEvent(DeployEvent event);

  /** A listener that ignores everything. */
  static DeployListener none() {
    return event -> {};
  }
}
