package dev.splitter.spi;

import dev.splitter.core.NotDeployedException;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.support.EndpointOwners;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Realises Traffic Splitters as routing objects (a route table entry, a VirtualService, a listener
 * rule). Each routing object carries its own state, the splitter's spec and when it was last
 * written, so that {@link #describe} needs no other store. Implementations are thread-safe.
 *
 * <p>A backend for a routing layer splitter does not ship, in outline ({@code dev.splitter.support}
 * has the helpers splitter's own backends use to store the spec and wrap failures):
 *
 * <pre>{@code
 * final class ConsulRouting implements RoutingBackend {
 *   private final BackendCalls calls = BackendCalls.of("consul");
 *
 *   public BackendCapabilities capabilities() {
 *     return BackendCapabilities.builder("consul").shadows(false).build();
 *   }
 *   public void apply(TrafficSplitter splitter) {
 *     calls.run("put", splitter.name(), () -> kv.put(key(splitter), StoredSpec.encode(splitter)));
 *   }
 *   public Optional<DeployedSplitter> describe(String name) { ... }
 *   public List<DeployedSplitter> list() { ... }
 *   public boolean delete(String name) { ... }
 * }
 * Deployer deployer = Deployer.builder().routing(new ConsulRouting()).build();
 * }</pre>
 */
@API(status = API.Status.STABLE)
public interface RoutingBackend {

  /**
   * What this backend can route (shadows, how many targets) and keep (annotations). Checked before
   * anything is written.
   */
  BackendCapabilities capabilities();

  /**
   * Creates the splitter's routing object, or replaces it whole. Idempotent: applying the same spec
   * twice leaves one object.
   */
  void apply(TrafficSplitter splitter);

  /** The splitter as its routing object now stands, read from the backend; empty if absent. */
  Optional<DeployedSplitter> describe(String name);

  /**
   * The splitters of these names that are deployed, as {@link #describe} gives each; one read per
   * deploy plan. The default calls {@link #describe} for each name; backends that can read all at
   * once (one listing instead of one call per splitter) override it.
   */
  default Map<String, DeployedSplitter> describeAll(Set<String> names) {
    Map<String, DeployedSplitter> deployed = new LinkedHashMap<>();
    for (String name : names) {
      describe(name).ifPresent(found -> deployed.put(name, found));
    }
    return deployed;
  }

  /**
   * Splitter's own notes on a routing object, by key: state that must outlive the process that
   * wrote it, such as a rollout in progress. A backend keeps them across {@link #apply} and drops
   * them with the object. The default keeps none.
   *
   * @return by key (without the backend's prefix); empty if the splitter has none or is not
   *     deployed
   */
  default Map<String, String> annotations(String name) {
    return Map.of();
  }

  /**
   * Sets or removes one of the splitter's {@link #annotations}, if it holds {@link Guard#expected}
   * now. Keys match {@link Annotations#KEY_PATTERN}; values are at most {@link
   * Annotations#MAX_VALUE_LENGTH} characters of {@link Annotations#VALUE_PATTERN}, what every
   * backend can store (an AWS tag value is the narrowest). Of two callers that expect the same
   * value, at most one succeeds: a backend says in its documentation how it makes sure (a
   * precondition of its API, a lock, or a fence with a stated window).
   *
   * @return false, having written nothing, if the annotation held something else
   * @throws NotDeployedException if the splitter is not deployed
   * @throws UnsupportedOperationException if this backend keeps no annotations ({@link
   *     BackendCapabilities#annotations()} is false; the default)
   */
  default boolean annotateIf(String name, Guard guard) {
    throw new UnsupportedOperationException(
        "the " + capabilities().backend() + " backend keeps no annotations");
  }

  /**
   * {@link #apply Applies} the splitter and sets one of its {@link #annotations} in one write, if
   * the annotation holds {@link Guard#expected} now: the weights and the state that explains them
   * change together or not at all, with the same guarantee as {@link #annotateIf}.
   *
   * @return false, having written nothing, if the annotation held something else
   * @throws NotDeployedException if the splitter is not deployed
   * @throws UnsupportedOperationException if this backend keeps no annotations (the default)
   */
  default boolean applyIf(TrafficSplitter splitter, Guard guard) {
    throw new UnsupportedOperationException(
        "the " + capabilities().backend() + " backend keeps no annotations");
  }

  /** Every splitter this backend manages, in name order. */
  List<DeployedSplitter> list();

  /**
   * Removes the splitter's routing object; the target APIs are untouched.
   *
   * @return whether there was one to remove
   */
  boolean delete(String name);

  /**
   * Who already serves each of {@code endpoints}: the splitters (or, where the backend can tell,
   * other routes) whose routing objects match it; an endpoint nobody serves may be left out. The
   * deployer asks once per deploy, for every endpoint in the file, and refuses to give a splitter
   * an endpoint someone else holds. The default reads {@link #list()} once; backends with a cheaper
   * lookup, or that see routes beyond their own, override it.
   */
  default Map<String, List<String>> endpointOwners(Set<String> endpoints) {
    return EndpointOwners.of(
        list().stream().map(DeployedSplitter::spec).toList(),
        endpoints,
        (spec, endpoint) -> spec.networking().endpoint().equals(endpoint),
        TrafficSplitter::name);
  }

  /**
   * A backend where nothing is deployed and every write is refused: for planning a file against
   * itself alone, or checking it against these capabilities, without a routing layer.
   */
  static RoutingBackend planOnly(BackendCapabilities capabilities) {
    return new RoutingBackend() {
      @Override
      public BackendCapabilities capabilities() {
        return capabilities;
      }

      @Override
      public void apply(TrafficSplitter splitter) {
        throw new UnsupportedOperationException("a plan-only backend writes nothing");
      }

      @Override
      public Optional<DeployedSplitter> describe(String name) {
        return Optional.empty();
      }

      @Override
      public List<DeployedSplitter> list() {
        return List.of();
      }

      @Override
      public boolean delete(String name) {
        throw new UnsupportedOperationException("a plan-only backend deletes nothing");
      }
    };
  }
}
