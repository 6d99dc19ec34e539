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
import dev.splitter.spi.Guard;
import dev.splitter.spi.RoutingBackend;
import dev.splitter.support.BackendCalls;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Writes one planned splitter: its routing object, read back to check the weights, then its
 * endpoint. A failure undoes what this write did: a created object is removed, an updated one gets
 * its previous spec back.
 */
@API(status = API.Status.INTERNAL)
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
    write(step, null, warnings);
  }

  /**
   * Applies the step and sets the guard's annotation in one write, if the annotation holds what the
   * guard expects; an unchanged step sets the annotation alone. An undo after a failed read-back is
   * guarded the other way, so it never writes over a writer that came after.
   *
   * @return false, with nothing written, if the annotation held something else
   */
  public boolean applyIf(Plan.Step step, Guard guard, List<String> warnings) {
    return write(step, guard, warnings);
  }

  private boolean write(Plan.Step step, @Nullable Guard guard, List<String> warnings) {
    TrafficSplitter desired = step.desired();
    String name = desired.name();
    if (step.change() == Change.UNCHANGED) {
      return guard == null || calls.call("annotate", name, () -> routing.annotateIf(name, guard));
    }
    TrafficSplitter previous = step.deployed();
    listener.onEvent(new DeployEvent(Stage.APPLYING, name));
    if (guard == null) {
      calls.run("apply", name, () -> routing.apply(desired));
    } else if (!calls.call("apply", name, () -> routing.applyIf(desired, guard))) {
      return false;
    }
    try {
      verifyApplied(desired);
      listener.onEvent(new DeployEvent(Stage.APPLIED, name));
      calls.run("expose", name, () -> endpoints.expose(desired));
    } catch (RuntimeException failure) {
      if (guard != null && overtaken(name, guard)) {
        return true; // written, then changed by a later guarded write: not ours to undo
      }
      if (previous == null) {
        undo(failure, () -> routing.delete(name));
      } else {
        undo(
            failure,
            () -> {
              if (guard == null) {
                routing.apply(previous);
              } else {
                routing.applyIf(previous, guard.reversed());
              }
            });
        if (!previous.networking().equals(desired.networking())) {
          undo(failure, () -> endpoints.unexpose(desired));
        }
      }
      throw failure;
    }
    listener.onEvent(new DeployEvent(Stage.EXPOSED, name));
    if (previous != null
        && previous.networking().apiGateway() == ApiGateway.PUBLIC
        && !previous.networking().equals(desired.networking())) {
      try {
        calls.run("unexpose", previous.name(), () -> endpoints.unexpose(previous));
      } catch (SplitterException e) {
        warnings.add(
            name
                + ": the old endpoint "
                + previous.networking().endpoint()
                + " could not be removed: "
                + e.getMessage());
      }
    }
    return true;
  }

  /** Whether the guard's annotation no longer holds what this write set: another wrote since. */
  private boolean overtaken(String name, Guard guard) {
    try {
      return !Objects.equals(routing.annotations(name).get(guard.key()), guard.value());
    } catch (RuntimeException e) {
      return false;
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
