package dev.splitter.local.internal;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A Realtime API the local gateway may forward to: the only places it ever sends traffic.
 *
 * @param name the API's name, as splitters target it
 * @param uri where it serves predictions; requests are forwarded to this path
 * @param healthPath a path answering 2XX while the API is healthy; without one, a TCP connect
 * @param registeredAt when it was registered
 * @param address its {@code host:port}, worked out once: the pool's key and the Host header
 */
@API(status = API.Status.INTERNAL)
public record RegisteredApi(
    String name, URI uri, @Nullable String healthPath, Instant registeredAt, String address) {

  public RegisteredApi(String name, URI uri, @Nullable String healthPath, Instant registeredAt) {
    this(name, uri, healthPath, registeredAt, uri.getHost() + ":" + port(uri));
  }

  public RegisteredApi {
    requireNonNull(name, "name");
    requireNonNull(uri, "uri");
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("api " + name + ": expected an http:// URI, got " + uri);
    }
  }

  public String host() {
    return uri.getHost();
  }

  public int port() {
    return port(uri);
  }

  private static int port(URI uri) {
    return uri.getPort() == -1 ? 80 : uri.getPort();
  }

  /** The path requests are forwarded to, with the caller's query string appended. */
  public String target(@Nullable String query) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return query == null ? path : path + "?" + query;
  }

  public Optional<String> health() {
    return Optional.ofNullable(healthPath);
  }
}
