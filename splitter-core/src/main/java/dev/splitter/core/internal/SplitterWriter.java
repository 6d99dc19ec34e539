package dev.splitter.core.internal;

import dev.splitter.SplitterException;
import dev.splitter.core.BackendException;
import dev.splitter.core.DeployEvent;
import dev.splitter.core.DeployEvent.Stage;
import dev.splitter.core.DeployListener;
import dev.splitter.core.Plan;
import dev.splitter.model.ApiGateway;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.Change;
import dev.splitter.spi.DeployedSplitter;
import dev.splitter.spi.EndpointProvisioner;
import dev.splitter.spi.RoutingBackend;
import dev.splitter.support.BackendCalls;
import java.util.List;

/**
 * Writes one planned splitter: its routing object, read back to check the weights, then its
 * endpoint. A failure undoes what this write did: a created object is removed, an updated one gets
 * its previous spec back.
 */
public final class SplitterWriter {
  private final RoutingBackend routing;
  private final EndpointProvisioner endpoints;
  private final DeployListener listener;
  private final BackendCalls calls;

  public SplitterWriter(
      RoutingBackend routing,
      EndpointProvisioner endpoints,
      DeployListener listener,
      BackendCalls calls) {
    this.routing = routing;
    this.endpoints = endpoints;
    this.listener = listener;
    this.calls = calls;
  }

  /**
   * Applies the step; nothing when it is unchanged.
   *
   * @param warnings receives an old endpoint that could not be removed
   */
  public void apply(Plan.Step step, List<String> warnings) {
    if (step.change() == Change.UNCHANGED) {
      return;
    }
    TrafficSplitter desired = step.desired();
    TrafficSplitter previous = step.deployed();
    listener.onEvent(new DeployEvent(Stage.APPLYING, desired.name()));
    calls.run("apply", desired.name(), () -> routing.apply(desired));
    try {
      verifyApplied(desired);
      listener.onEvent(new DeployEvent(Stage.APPLIED, desired.name()));
      calls.run("expose", desired.name(), () -> endpoints.expose(desired));
    } catch (RuntimeException failure) {
      if (previous == null) {
        undo(failure, () -> routing.delete(desired.name()));
      } else {
        undo(failure, () -> routing.apply(previous));
        if (!previous.networking().equals(desired.networking())) {
          undo(failure, () -> endpoints.unexpose(desired));
        }
      }
      throw failure;
    }
    listener.onEvent(new DeployEvent(Stage.EXPOSED, desired.name()));
    if (previous != null
        && previous.networking().apiGateway() == ApiGateway.PUBLIC
        && !previous.networking().equals(desired.networking())) {
      try {
        calls.run("unexpose", previous.name(), () -> endpoints.unexpose(previous));
      } catch (SplitterException e) {
        warnings.add(
            desired.name()
                + ": the old endpoint "
                + previous.networking().endpoint()
                + " could not be removed: "
                + e.getMessage());
      }
    }
  }

  /** Reads the routing object back and fails unless it routes as asked. */
  private void verifyApplied(TrafficSplitter desired) {
    TrafficSplitter actual =
        calls
            .call("describe", desired.name(), () -> routing.describe(desired.name()))
            .map(DeployedSplitter::spec)
            .orElseThrow(
                () -> misread(desired, "the routing object was not found after it was written"));
    if (!actual.apis().equals(desired.apis())
        || !actual.networking().equals(desired.networking())) {
      throw misread(
          desired,
          "read back "
              + actual.apis()
              + " at "
              + actual.networking()
              + " but asked for "
              + desired.apis()
              + " at "
              + desired.networking());
    }
  }

  /** The backend did not hold what it was given; another deploy may find it settled. */
  private BackendException misread(TrafficSplitter desired, String message) {
    return BackendException.builder(calls.backend(), "verify", desired.name())
        .message(message)
        .retryable(true)
        .build();
  }

  private static void undo(RuntimeException failure, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }
}
