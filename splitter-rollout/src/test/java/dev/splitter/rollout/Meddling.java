package dev.splitter.rollout;

import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.BackendCapabilities;
import dev.splitter.spi.DeployedSplitter;
import dev.splitter.spi.Guard;
import dev.splitter.spi.RoutingBackend;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A routing backend that runs a competing action at a guarded write (the writes a rollout makes),
 * just before or just after the backend does it: to put an abort, a second rollout or a
 * cancellation at every point of a rollout. Everything else goes straight to the backend.
 */
public final class Meddling implements RoutingBackend {
  /** Where, around the write, the action runs. */
  public enum When {
    BEFORE,
    AFTER
  }

  private final RoutingBackend backend;
  private final AtomicInteger writes = new AtomicInteger();
  private volatile int at = -1;
  private volatile When when = When.BEFORE;
  private volatile Runnable action = () -> {};

  public Meddling(RoutingBackend backend) {
    this.backend = backend;
  }

  /**
   * Runs {@code action} once, {@code when} the guarded write numbered {@code at} (from 1) happens,
   * on the thread that writes.
   */
  public void at(int at, When when, Runnable action) {
    this.when = when;
    this.action = action;
    this.at = at;
  }

  /** How many guarded writes were made. */
  public int writes() {
    return writes.get();
  }

  private boolean guarded(BooleanSupplier write) {
    boolean meddle = writes.incrementAndGet() == at;
    if (meddle && when == When.BEFORE) {
      action.run();
    }
    boolean wrote = write.getAsBoolean();
    if (meddle && when == When.AFTER) {
      action.run();
    }
    return wrote;
  }

  @Override
  public boolean annotateIf(String name, Guard guard) {
    return guarded(() -> backend.annotateIf(name, guard));
  }

  @Override
  public boolean applyIf(TrafficSplitter splitter, Guard guard) {
    return guarded(() -> backend.applyIf(splitter, guard));
  }

  @Override
  public BackendCapabilities capabilities() {
    return backend.capabilities();
  }

  @Override
  public void apply(TrafficSplitter splitter) {
    backend.apply(splitter);
  }

  @Override
  public Optional<DeployedSplitter> describe(String name) {
    return backend.describe(name);
  }

  @Override
  public Map<String, DeployedSplitter> describeAll(Set<String> names) {
    return backend.describeAll(names);
  }

  @Override
  public Map<String, String> annotations(String name) {
    return backend.annotations(name);
  }

  @Override
  public List<DeployedSplitter> list() {
    return backend.list();
  }

  @Override
  public boolean delete(String name) {
    return backend.delete(name);
  }

  @Override
  public Map<String, List<String>> endpointOwners(Set<String> endpoints) {
    return backend.endpointOwners(endpoints);
  }
}
