package dev.splitter.spi;

import dev.splitter.model.TrafficSplitter;
import dev.splitter.validation.BackendCapabilities;
import java.util.List;
import java.util.Optional;

/**
 * Realises Traffic Splitters as routing objects (a route table entry, a VirtualService, a listener
 * rule). Each routing object carries its own state, the splitter's spec and when it was last
 * written, so that {@link #describe} needs no other store. Implementations are thread-safe.
 */
public interface RoutingBackend {

  /** What this backend can route: shadows, how many targets. Checked before anything is written. */
  BackendCapabilities capabilities();

  /**
   * Creates the splitter's routing object, or replaces it whole. Idempotent: applying the same spec
   * twice leaves one object.
   */
  void apply(TrafficSplitter splitter);

  /** The splitter as its routing object now stands, read from the backend; empty if absent. */
  Optional<DeployedSplitter> describe(String name);

  /** Every splitter this backend manages, in name order. */
  List<DeployedSplitter> list();

  /**
   * Removes the splitter's routing object; the target APIs are untouched.
   *
   * @return whether there was one to remove
   */
  boolean delete(String name);

  /**
   * The splitter whose routing object already serves {@code endpoint}, if any. The deployer refuses
   * to give a second splitter the same endpoint. Backends with a cheaper lookup override this.
   */
  default Optional<String> endpointUsedBy(String endpoint) {
    return list().stream()
        .filter(deployed -> deployed.spec().networking().endpoint().equals(endpoint))
        .map(deployed -> deployed.spec().name())
        .findFirst();
  }
}
