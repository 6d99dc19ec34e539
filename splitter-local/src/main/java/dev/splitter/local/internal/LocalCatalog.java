package dev.splitter.local.internal;

import dev.splitter.spi.ApiCatalog;
import dev.splitter.spi.ApiState;
import dev.splitter.spi.ApiStatus;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Realtime APIs registered with the local gateway, and the outcome of each one's latest health
 * check: updating until the first check, then live or error.
 */
public final class LocalCatalog implements ApiCatalog {
  private final Map<String, RegisteredApi> apis = new ConcurrentHashMap<>();
  private final Map<String, ApiState> health = new ConcurrentHashMap<>();

  /** Adds or replaces an API; it is {@code updating} until its first health check. */
  public void register(RegisteredApi api) {
    apis.put(api.name(), api);
    health.put(api.name(), ApiState.UPDATING);
  }

  /** Records a health check's outcome, unless the API was removed meanwhile. */
  public void checked(RegisteredApi api, boolean healthy) {
    health.computeIfPresent(api.name(), (name, state) -> healthy ? ApiState.LIVE : ApiState.ERROR);
  }

  /** The registered API of this name, if any. */
  public Optional<RegisteredApi> api(String name) {
    return Optional.ofNullable(apis.get(name));
  }

  /** Every registered API. */
  public Iterable<RegisteredApi> apis() {
    return apis.values();
  }

  @Override
  public boolean exists(String apiName) {
    return apis.containsKey(apiName);
  }

  @Override
  public ApiStatus status(String apiName) {
    RegisteredApi api = apis.get(apiName);
    if (api == null) {
      return ApiStatus.NOT_DEPLOYED;
    }
    return new ApiStatus(health.getOrDefault(apiName, ApiState.UPDATING), 1, api.registeredAt());
  }
}
