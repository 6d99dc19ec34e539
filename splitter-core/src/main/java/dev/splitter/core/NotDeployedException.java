package dev.splitter.core;

import static java.util.Objects.requireNonNull;

import dev.splitter.SplitterException;
import org.apiguardian.api.API;

/** The named Traffic Splitter is not deployed: {@code traffic-splitter is not deployed}. */
@API(status = API.Status.STABLE)
public final class NotDeployedException extends SplitterException {
  private static final long serialVersionUID = 1L;

  private final String name;

  public NotDeployedException(String name) {
    super(requireNonNull(name, "name") + " is not deployed");
    this.name = name;
  }

  /** The splitter that was asked for. */
  public String name() {
    return name;
  }
}
