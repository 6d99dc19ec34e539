package dev.splitter.local.internal;

import io.netty.util.AsciiString;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.apiguardian.api.API;

/**
 * What every gateway connection shares: the routes, the registered APIs, the counters, and the
 * limits.
 *
 * @param routes the route table as it stands at each call
 * @param catalog the registered APIs, the only places traffic goes
 * @param metrics per-target counters
 * @param outliers which APIs are out of rotation
 * @param random the random source for a request's draws
 * @param maxBodyBytes the largest body forwarded
 * @param upstreamTimeout how long a target may stay silent (then 504)
 * @param connectTimeout how long connecting to a target may take (then 502)
 * @param maxConnectionsPerApi the most open connections from one event loop to one API
 * @param headerTimeout how long a client may take to send a request's headers, from its first byte
 * @param idleTimeout how long a client may stay silent between requests or within a body
 * @param maxClientConnections the most client connections open at once
 * @param pinning whether {@code x-splitter-api} pins a request to a target
 * @param keyHeader the header whose value keys a request to its bucket's target
 * @param shadows the shadow comparisons
 */
@API(status = API.Status.INTERNAL)
public record GatewaySettings(
    Supplier<RouteTable> routes,
    LocalCatalog catalog,
    LocalMetrics metrics,
    Outliers outliers,
    Supplier<RandomGenerator> random,
    long maxBodyBytes,
    Duration upstreamTimeout,
    Duration connectTimeout,
    int maxConnectionsPerApi,
    Duration headerTimeout,
    Duration idleTimeout,
    int maxClientConnections,
    boolean pinning,
    AsciiString keyHeader,
    ShadowComparisons shadows) {}
