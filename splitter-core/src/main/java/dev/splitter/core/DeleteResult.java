package dev.splitter.core;

import java.util.List;
import org.apiguardian.api.API;

/**
 * What a delete did.
 *
 * @param name the splitter that was deleted; its target APIs were left running
 */
@API(status = API.Status.STABLE)
public record DeleteResult(String name) {
  /** The Cortex line: {@code deleted traffic-splitter}. */
  public List<String> messages() {
    return List.of("deleted " + name);
  }
}
