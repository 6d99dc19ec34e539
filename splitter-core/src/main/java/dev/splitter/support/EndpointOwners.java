package dev.splitter.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * Who serves each endpoint, from a backend's routing objects: what {@code
 * RoutingBackend.endpointOwners} answers.
 *
 * <pre>{@code
 * return EndpointOwners.of(rules.all(), endpoints, ListenerRule::matches, this::owner);
 * }</pre>
 */
@API(status = API.Status.MAINTAINED)
public final class EndpointOwners {
  private EndpointOwners() {}

  /**
   * Who serves each of {@code endpoints} among {@code objects}.
   *
   * @param objects the routing objects, any owner's
   * @param serves whether an object routes an endpoint
   * @param owner how an owner is named: a splitter's name, else something a person can find
   * @return per endpoint someone serves, its owners in name order; endpoints in order
   */
  public static <T> Map<String, List<String>> of(
      Collection<T> objects,
      Set<String> endpoints,
      BiPredicate<T, String> serves,
      Function<T, String> owner) {
    Map<String, List<String>> owners = new TreeMap<>();
    for (T object : objects) {
      for (String endpoint : endpoints) {
        if (serves.test(object, endpoint)) {
          owners.computeIfAbsent(endpoint, key -> new ArrayList<>()).add(owner.apply(object));
        }
      }
    }
    owners.values().forEach(list -> list.sort(null));
    return owners;
  }
}
