package dev.splitter.local.internal;

import dev.splitter.spi.ApiCatalog;
import dev.splitter.spi.ApiState;
import dev.splitter.spi.ApiStatus;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;

/**
 * The Realtime APIs registered with the local gateway, and the outcome of each one's latest health
 * check: updating until the first check, then live or error. An API out of rotation (see {@link
 * Outliers}) is shown as error too.
 */
@API(status = API.Status.INTERNAL)
public final class LocalCatalog implements ApiCatalog {
  private final Map<String, RegisteredApi> apis = new ConcurrentHashMap<>();
  private final Map<String, ApiState> health = new ConcurrentHashMap<>();
  private final Outliers outliers;

  public LocalCatalog(Outliers outliers) {
    this.outliers = outliers;
  }

  /** Adds or replaces an API; it is {@code updating} until its first health check. */
  public void register(RegisteredApi api) {
    apis.put(api.name(), api);
    health.put(api.name(), ApiState.UPDATING);
  }

  /** Removes an API; returns whether it was registered. */
  public boolean unregister(String name) {
    health.remove(name);
    return apis.remove(name) != null;
  }

  /**
   * Records a health check's outcome, unless the API was removed or replaced meanwhile.
   *
   * @return whether it was recorded
   */
  public boolean checked(RegisteredApi api, boolean healthy) {
    if (apis.get(api.name()) != api) {
      return false;
    }
    health.computeIfPresent(api.name(), (name, state) -> healthy ? ApiState.LIVE : ApiState.ERROR);
    return true;
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
    ApiState state = health.getOrDefault(apiName, ApiState.UPDATING);
    if (state == ApiState.LIVE && outliers.ejected().contains(apiName)) {
      state = ApiState.ERROR;
    }
    return new ApiStatus(state, 1, api.registeredAt());
  }
}
