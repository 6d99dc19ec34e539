package dev.splitter.spi;

import org.apiguardian.api.API;

/** Knows the Realtime APIs that splitters route to, and how each is doing. Thread-safe. */
@API(status = API.Status.STABLE)
public interface ApiCatalog {

  /** Whether a Realtime API of this name is deployed. */
  boolean exists(String apiName);

  /** How the API is doing now; {@link ApiState#NOT_DEPLOYED} if it does not exist. */
  ApiStatus status(String apiName);

  /** A catalog that knows no API. */
  static ApiCatalog empty() {
    return new ApiCatalog() {
      @Override
      public boolean exists(String apiName) {
        return false;
      }

      @Override
      public ApiStatus status(String apiName) {
        return ApiStatus.NOT_DEPLOYED;
      }
    };
  }
}
