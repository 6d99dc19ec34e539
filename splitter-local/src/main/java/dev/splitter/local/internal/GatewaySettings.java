package dev.splitter.local.internal;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * What every gateway instance shares: the routes, the registered APIs, the counters, and the
 * limits.
 *
 * @param routes the route table as it stands at each call
 * @param catalog the registered APIs, the only places traffic goes
 * @param metrics per-target counters
 * @param random the random source for a request's draws
 * @param maxBodyBytes the largest body forwarded
 * @param upstreamTimeout how long a target may stay silent (then 504)
 * @param connectTimeout how long connecting to a target may take (then 502)
 * @param maxConnectionsPerApi the most open connections from one instance to one API
 */
public record GatewaySettings(
    Supplier<RouteTable> routes,
    LocalCatalog catalog,
    LocalMetrics metrics,
    Supplier<RandomGenerator> random,
    long maxBodyBytes,
    Duration upstreamTimeout,
    Duration connectTimeout,
    int maxConnectionsPerApi) {}
