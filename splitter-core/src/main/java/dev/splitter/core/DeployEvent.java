package dev.splitter.core;

import static java.util.Objects.requireNonNull;

import org.apiguardian.api.API;

/**
 * A step of a deploy.
 *
 * @param stage which step
 * @param resource the resource it concerns; the file's name for {@link Stage#VALIDATED} and {@link
 *     Stage#DONE}
 */
@API(status = API.Status.STABLE)
public record DeployEvent(Stage stage, String resource) {
  public DeployEvent {
    requireNonNull(stage, "stage");
    requireNonNull(resource, "resource");
  }

  /** The steps, in order. */
  public enum Stage {
    /** The whole file passed validation; nothing has been written yet. */
    VALIDATED,
    /** A resource is being written. */
    APPLYING,
    /** Its routing object was written and read back as asked. */
    APPLIED,
    /** Its endpoint is exposed. */
    EXPOSED,
    /** Every resource is deployed. */
    DONE
  }
}
