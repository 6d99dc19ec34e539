package dev.splitter.local;

import static java.util.Objects.requireNonNull;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.splitter.core.BackendException;
import dev.splitter.core.Deployer;
import dev.splitter.core.NotDeployedException;
import dev.splitter.local.internal.GatewayListener;
import dev.splitter.local.internal.GatewayMeters;
import dev.splitter.local.internal.GatewaySettings;
import dev.splitter.local.internal.HealthChecks;
import dev.splitter.local.internal.LocalCatalog;
import dev.splitter.local.internal.LocalEndpoints;
import dev.splitter.local.internal.LocalMetrics;
import dev.splitter.local.internal.LocalRouting;
import dev.splitter.local.internal.Outliers;
import dev.splitter.local.internal.RegisteredApi;
import dev.splitter.local.internal.ShadowComparisons;
import dev.splitter.spi.AssignmentMode;
import dev.splitter.spi.MetricsSource;
import dev.splitter.spi.RoutingBackend;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.AsciiString;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Traffic Splitters on one machine, no cloud: an HTTP gateway on 127.0.0.1 that routes each request
 * to a splitter's endpoint to one of its Realtime APIs, at random by weight.
 *
 * <pre>{@code
 * try (LocalCluster cluster = LocalCluster.start()) {
 *   cluster.registerApi("my-api", URI.create("http://127.0.0.1:9001/"));
 *   cluster.registerApi("another-my-api", URI.create("http://127.0.0.1:9002/"));
 *   Deployer deployer = cluster.deployer();
 *   deployer.deploy(Path.of("cortex.yaml"));            // created traffic-splitter (TrafficSplitter)
 *   URI endpoint = cluster.endpointUrl("traffic-splitter");
 *   // POST to endpoint: 20% reach my-api, 80% another-my-api
 *   System.out.print(deployer.get("traffic-splitter").toTable());
 * }
 * }</pre>
 *
 * <p>The gateway forwards only to registered APIs, each request's method, headers (less hop-by-hop
 * ones, with forwarding headers set from the real caller) and body, streaming, and streams the
 * answer back with an {@code x-splitter-api} header naming the API that answered. Its own errors
 * are JSON naming the API: 404 for an unknown endpoint, 405 for CONNECT and TRACE, 408 for headers
 * sent too slowly, 413 for a body over the limit, 502 for a target that refuses or is gone, 503
 * when every connection to it stays busy, 504 for one that does not answer in time. An answer a
 * target cuts short reaches the caller broken, never whole. A target that keeps failing is taken
 * out of rotation until it recovers ({@link Builder#outlierEjection}). A shadow target gets a copy
 * of its weight's percentage of requests; the caller never waits for it and never sees its answer
 * or its failure. The gateway compares the shadow's answer with the live one ({@link
 * ShadowComparison}, {@link Builder#shadowComparison}): {@code get} shows the agreement, {@link
 * Deployer#shadowDifferences} the recent disagreements.
 *
 * <p>Thread-safe. Close it to stop the gateway; a Vert.x instance given to the builder is left
 * running.
 */
@API(status = API.Status.STABLE)
public final class LocalCluster implements AutoCloseable {
  private static final Duration BLOCKING_TIMEOUT = Duration.ofSeconds(30);

  private final Parts parts;
  private final GatewayListener listener;
  private final long healthTimer;
  private final Clock clock;
  private final URI baseUrl;
  private final Deployer deployer;
  private final AtomicBoolean closed = new AtomicBoolean();

  private LocalCluster(Parts parts, GatewayListener listener, URI baseUrl, Clock clock) {
    this.parts = parts;
    this.listener = listener;
    this.baseUrl = baseUrl;
    this.clock = clock;
    this.healthTimer =
        parts.vertx.setPeriodic(parts.healthInterval.toMillis(), id -> checkAllApis());
    this.deployer = deployerBuilder().build();
  }

  /** Builds the parts, starts the gateway and waits until it listens. */
  private static LocalCluster start(Builder builder) {
    Parts parts = new Parts(builder);
    GatewaySettings settings =
        new GatewaySettings(
            parts.routing::table,
            parts.catalog,
            parts.metrics,
            parts.outliers,
            builder.randomSource(),
            builder.maxBodyBytes,
            builder.upstreamTimeout,
            builder.connectTimeout,
            builder.maxConnectionsPerApi,
            builder.headerTimeout,
            builder.idleTimeout,
            builder.maxClientConnections,
            builder.pinning,
            AsciiString.cached(requireNonNull(builder.assignment.header())),
            parts.shadows);
    GatewayListener listener;
    try {
      listener = GatewayListener.listen(parts.vertx, settings, builder.host, builder.port);
    } catch (RuntimeException e) {
      parts.close();
      throw gatewayFailure(String.valueOf(e.getMessage()), e);
    }
    URI baseUrl = URI.create("http://" + hostForUrl(builder.host) + ":" + listener.port() + "/");
    parts.meters.connections(
        listener, GatewayListener::clientConnections, GatewayListener::upstreamConnections);
    return new LocalCluster(parts, listener, baseUrl, builder.clock);
  }

  /** Starts a gateway with the defaults: 127.0.0.1, a free port. */
  public static LocalCluster start() {
    return builder().start();
  }

  /** A builder for a gateway with other settings. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Registers a Realtime API that splitters may route to, checked by opening a TCP connection.
   * Returns once its first health check has run.
   *
   * @param uri where it serves predictions: requests are forwarded to this URI's path
   */
  public void registerApi(String name, URI uri) {
    register(new RegisteredApi(name, uri, null, clock.instant()));
  }

  /**
   * Registers a Realtime API checked by a GET of {@code healthPath} that must answer 2XX. Returns
   * once its first health check has run.
   */
  public void registerApi(String name, URI uri, String healthPath) {
    register(
        new RegisteredApi(name, uri, requireNonNull(healthPath, "healthPath"), clock.instant()));
  }

  /** The deployer for this gateway: local routing, catalog, metrics and endpoints. */
  public Deployer deployer() {
    return deployer;
  }

  /**
   * The gateway's own counters as a metrics source: what {@link #deployer()} reads, exact and
   * immediate, with the shadow comparisons. For an application that reads the counts from elsewhere
   * (a Prometheus scraping this gateway's meters) and still wants the shadows, or windows, from
   * here.
   */
  public MetricsSource metrics() {
    return parts.metrics;
  }

  /**
   * A deployer builder for this gateway, already given its routing, catalog, metrics and endpoints,
   * to add a listener, {@code requireLiveTargets} or a Realtime API hook.
   */
  public Deployer.Builder deployerBuilder() {
    return Deployer.builder()
        .routing(parts.routing)
        .endpoints(new LocalEndpoints(baseUrl))
        .catalog(parts.catalog)
        .metrics(parts.metrics)
        .clock(clock);
  }

  /**
   * Whether the gateway runs on Netty's native transport (epoll on Linux), which it prefers when
   * the application has {@code netty-transport-native-epoll} on its class path; else Java NIO.
   */
  public boolean nativeTransport() {
    return parts.vertx.isNativeTransportEnabled();
  }

  /**
   * The gateway's routing backend, to compose a deployer of your own around it, for instance
   * wrapped to log or to inject faults: {@code deployerBuilder().routing(wrap(cluster.routing()))}.
   */
  public RoutingBackend routing() {
    return parts.routing;
  }

  /** The URL of the gateway itself, such as {@code http://127.0.0.1:41234/}. */
  public URI baseUrl() {
    return baseUrl;
  }

  /**
   * Where a deployed splitter is reached.
   *
   * @throws NotDeployedException if it is not deployed
   */
  public URI endpointUrl(String splitterName) {
    return parts
        .routing
        .describe(splitterName)
        .map(deployed -> baseUrl.resolve(deployed.spec().networking().endpoint()))
        .orElseThrow(() -> new NotDeployedException(splitterName));
  }

  /** Stops the gateway and its health checks; closing it again does nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    parts.vertx.cancelTimer(healthTimer);
    listener.close();
    parts.close();
  }

  /**
   * Removes a Realtime API: splitters that target it get 502 for its share until they are
   * redeployed without it. Returns whether it was registered.
   */
  public boolean unregisterApi(String name) {
    boolean removed = parts.catalog.unregister(name);
    parts.outliers.forget(name);
    parts.meters.forgetApi(name);
    return removed;
  }

  /**
   * The Realtime APIs out of rotation now, after failing in a row (their share goes to the others
   * until a health check passes); empty with outlier ejection off. An immutable set.
   */
  public Set<String> ejectedApis() {
    return parts.outliers.ejected();
  }

  /** How many callers are connected to the gateway now. */
  public int clientConnections() {
    return listener.clientConnections();
  }

  /** How many connections from the gateway to Realtime APIs are open now, busy or kept alive. */
  public int upstreamConnections() {
    return listener.upstreamConnections();
  }

  private void register(RegisteredApi api) {
    parts.catalog.register(api);
    parts.meters.forgetApi(api.name()); // registered again: one gauge per name
    parts.meters.api(api.name(), parts.outliers);
    checked(api, await(parts.healthChecks.healthy(api)));
  }

  private void checkAllApis() {
    for (RegisteredApi api : parts.catalog.apis()) {
      parts.healthChecks.healthy(api).onSuccess(healthy -> checked(api, healthy));
    }
  }

  private void checked(RegisteredApi api, boolean healthy) {
    if (parts.catalog.checked(api, healthy)) {
      parts.outliers.healthChecked(api.name(), healthy);
    }
  }

  private static String hostForUrl(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  private static <T> T await(Future<T> future) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(BLOCKING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw gatewayFailure("interrupted while waiting for it", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw gatewayFailure(String.valueOf(cause.getMessage()), cause);
    } catch (java.util.concurrent.TimeoutException e) {
      throw gatewayFailure("no answer in " + BLOCKING_TIMEOUT, e);
    }
  }

  private static BackendException gatewayFailure(String message, Throwable cause) {
    return BackendException.builder("local", "run", "gateway")
        .message(message)
        .cause(cause)
        .build();
  }

  private static void awaitQuietly(Future<?> future) {
    try {
      await(future);
    } catch (BackendException e) {
      // closing: nothing left to do about it
    }
  }

  /** What a cluster is made of before its gateway listens; closed again if it never does. */
  private static final class Parts {
    final Vertx vertx;
    final boolean ownsVertx;
    final HttpClient client;
    final NetClient tcp;
    final HealthChecks healthChecks;
    final Outliers outliers;
    final LocalCatalog catalog;
    final GatewayMeters meters;
    final ShadowComparisons shadows;
    final LocalMetrics metrics;
    final LocalRouting routing;
    final Duration healthInterval;

    Parts(Builder builder) {
      this.ownsVertx = builder.vertx == null;
      // Netty's native transport when the application ships it (e.g.
      // netty-transport-native-epoll); Java NIO otherwise.
      this.vertx =
          builder.vertx != null
              ? builder.vertx
              : Vertx.vertx(
                  new VertxOptions()
                      .setPreferNativeTransport(true)
                      .setEventLoopPoolSize(builder.eventLoops));
      this.outliers = new Outliers(builder.outlierEjection, builder.ejectionTime, builder.clock);
      this.catalog = new LocalCatalog(outliers);
      this.meters = new GatewayMeters(builder.meterRegistry);
      this.shadows =
          new ShadowComparisons(
              builder.shadowComparison,
              builder.shadowComparisons,
              builder.shadowMemory,
              meters,
              builder.clock);
      this.metrics = new LocalMetrics(outliers, shadows, meters, builder.clock);
      this.routing = new LocalRouting(metrics, builder.clock, builder.pinning, builder.assignment);
      this.client = vertx.createHttpClient();
      this.tcp =
          vertx.createNetClient(
              new NetClientOptions().setConnectTimeout((int) builder.connectTimeout.toMillis()));
      this.healthChecks = new HealthChecks(client, tcp, builder.connectTimeout);
      this.healthInterval = builder.healthInterval;
    }

    void close() {
      meters.close();
      shadows.close();
      awaitQuietly(client.close());
      awaitQuietly(tcp.close());
      if (ownsVertx) {
        awaitQuietly(vertx.close());
      }
    }
  }

  /** Builds a {@link LocalCluster}. Not thread-safe. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private long maxBodyBytes = 10L * 1024 * 1024;
    private Duration upstreamTimeout = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration healthInterval = Duration.ofSeconds(1);
    private int eventLoops = Runtime.getRuntime().availableProcessors();
    private int maxConnectionsPerApi = 256;
    private Duration headerTimeout = Duration.ofSeconds(10);
    private Duration idleTimeout = Duration.ofSeconds(60);
    private int maxClientConnections = defaultMaxClientConnections();
    private boolean outlierEjection = true;
    private boolean pinning = true;
    private AssignmentMode assignment = AssignmentMode.byKey(AssignmentMode.KEY_HEADER);
    private Duration ejectionTime = Duration.ofSeconds(30);
    private @Nullable Long seed;
    private @Nullable Vertx vertx;
    private Clock clock = Clock.systemUTC();
    private ShadowComparison shadowComparison = ShadowComparison.DEFAULT;
    private final Map<String, ShadowComparison> shadowComparisons = new HashMap<>();
    private long shadowMemory = 64L * 1024 * 1024;
    private @Nullable MeterRegistry meterRegistry;

    private Builder() {}

    /**
     * The address to listen on. Default {@code 127.0.0.1}: only this machine can reach the gateway.
     * Anything else exposes every registered API through it.
     */
    public Builder host(String host) {
      this.host = requireNonNull(host, "host");
      return this;
    }

    /** The port to listen on; 0 (the default) picks a free one, see {@link #baseUrl()}. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be 0..65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /** The largest request body forwarded, in bytes; larger ones get 413. Default 10 MiB. */
    public Builder maxBodyBytes(long maxBodyBytes) {
      if (maxBodyBytes < 0) {
        throw new IllegalArgumentException("maxBodyBytes must be >= 0, got " + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /** How long a target may stay silent before the caller gets 504. Default 30 s. */
    public Builder upstreamTimeout(Duration upstreamTimeout) {
      this.upstreamTimeout = positive(upstreamTimeout, "upstreamTimeout");
      return this;
    }

    /** How long connecting to a target may take before the caller gets 502. Default 5 s. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    /** How often registered APIs are health-checked. Default 1 s. */
    public Builder healthInterval(Duration healthInterval) {
      this.healthInterval = positive(healthInterval, "healthInterval");
      return this;
    }

    /**
     * How many event loops serve requests, when the gateway runs its own Vert.x (a Vert.x given to
     * {@link #vertx} keeps its own event loops). Default: one per processor.
     */
    public Builder eventLoops(int eventLoops) {
      if (eventLoops < 1) {
        throw new IllegalArgumentException("eventLoops must be >= 1, got " + eventLoops);
      }
      this.eventLoops = eventLoops;
      return this;
    }

    /** The most open connections to one API from each event loop. Default 256. */
    public Builder maxConnectionsPerApi(int maxConnectionsPerApi) {
      if (maxConnectionsPerApi < 1) {
        throw new IllegalArgumentException(
            "maxConnectionsPerApi must be >= 1, got " + maxConnectionsPerApi);
      }
      this.maxConnectionsPerApi = maxConnectionsPerApi;
      return this;
    }

    /**
     * How long a caller may take to send a request's headers, counted from their first byte; then
     * it gets 408 and the connection closes. Default 10 s.
     */
    public Builder headerTimeout(Duration headerTimeout) {
      this.headerTimeout = positive(headerTimeout, "headerTimeout");
      return this;
    }

    /**
     * How long a caller's connection may stay silent between requests, or in the middle of a
     * request body, before the gateway closes it. Default 60 s.
     */
    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = positive(idleTimeout, "idleTimeout");
      return this;
    }

    /**
     * The most callers connected at once. At the cap a new connection closes the longest-idle one;
     * when none is idle, it gets 503 and is closed. Default: a quarter of the process's file
     * descriptor limit (each caller may need a second descriptor to reach its target), at most
     * 10,000.
     */
    public Builder maxClientConnections(int maxClientConnections) {
      if (maxClientConnections < 1) {
        throw new IllegalArgumentException(
            "maxClientConnections must be >= 1, got " + maxClientConnections);
      }
      this.maxClientConnections = maxClientConnections;
      return this;
    }

    /**
     * Whether a Realtime API that fails is taken out of rotation (default: yes). An API whose
     * health check fails, or whose requests fail at the gateway 5 times in a row (refused, reset,
     * timed out, cut short, or answered 502/503/504), gets no live traffic; its share goes to the
     * splitter's other targets in proportion, and {@code get} says so. It is back once its ejection
     * time has passed and its health check passes. Off: every target keeps its weight and callers
     * get its errors, for an experiment that must not be skewed.
     */
    public Builder outlierEjection(boolean outlierEjection) {
      this.outlierEjection = outlierEjection;
      return this;
    }

    /**
     * Whether a request carrying {@code x-splitter-api: NAME} goes to that target, when NAME is a
     * target of the splitter and not its shadow, whatever its weight (default: yes). The header is
     * consumed, never forwarded; any other value takes the weighted route. Off: the header is still
     * dropped, and every request is routed by weight.
     */
    public Builder pinning(boolean pinning) {
      this.pinning = pinning;
      return this;
    }

    /**
     * The header a request carries its key in (a user id), for sticky assignment (default {@value
     * AssignmentMode#KEY_HEADER}): the gateway hashes the key with the splitter's name into one of
     * its {@link dev.splitter.model.Assignment#BUCKETS} buckets, and the bucket's owner answers, on
     * every request, until a change of weights moves that bucket. The header is forwarded. A
     * request without it, or with it empty, is drawn at random; a pinned request goes where it is
     * pinned.
     *
     * @throws IllegalArgumentException if it is not 1 to 64 lower-case letters, digits or hyphens
     */
    public Builder keyHeader(String keyHeader) {
      this.assignment = AssignmentMode.byKey(keyHeader);
      return this;
    }

    /** How long an API whose requests failed stays out of rotation, at least. Default 30 s. */
    public Builder ejectionTime(Duration ejectionTime) {
      this.ejectionTime = positive(ejectionTime, "ejectionTime");
      return this;
    }

    /**
     * Makes the weighted picks repeatable, for tests: one seeded generator shared by all event
     * loops (slower under load). Default: an unseeded generator per thread.
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** A Vert.x instance to run on; it is left running on close. Default: one of its own. */
    public Builder vertx(Vertx vertx) {
      this.vertx = requireNonNull(vertx, "vertx");
      return this;
    }

    /**
     * The clock for "last update" times, metrics windows (a rollout step's traffic is counted by
     * it) and outlier ejection times. Default: the system clock.
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How every splitter's shadow answers are compared with the live ones, unless it has settings
     * of its own. Default {@link ShadowComparison#DEFAULT}; {@link ShadowComparison#off()} reads
     * and drops them.
     */
    public Builder shadowComparison(ShadowComparison comparison) {
      this.shadowComparison = requireNonNull(comparison, "comparison");
      return this;
    }

    /** How one splitter's shadow answers are compared, in place of the default. */
    public Builder shadowComparison(String splitterName, ShadowComparison comparison) {
      shadowComparisons.put(
          requireNonNull(splitterName, "splitterName"), requireNonNull(comparison, "comparison"));
      return this;
    }

    /**
     * The most answer bytes held for shadow comparisons at once, all pairs together; a pair that
     * would go over it is counted as not compared. Default 64 MiB.
     */
    public Builder shadowMemory(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("shadowMemory must be >= 0, got " + bytes);
      }
      this.shadowMemory = bytes;
      return this;
    }

    /**
     * Records the gateway's traffic in this Micrometer registry too (Spring Boot's, or a {@code
     * PrometheusMeterRegistry}): requests by status class, latency as a histogram, the gateway's
     * own errors by reason, body bytes, open connections, ejections, pinned and keyed requests,
     * shadow comparisons; the names are listed in the README. Meters of a deleted splitter and of
     * the closed gateway are removed. Default: none, and nothing is recorded beyond {@code get}'s
     * own counts.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Starts the gateway and waits until it listens.
     *
     * @throws dev.splitter.core.BackendException if it cannot listen (the port is taken) or does
     *     not start in time
     */
    public LocalCluster start() {
      return LocalCluster.start(this);
    }

    private Supplier<RandomGenerator> randomSource() {
      if (seed == null) {
        return ThreadLocalRandom::current;
      }
      Random shared = new Random(seed); // java.util.Random is thread-safe
      return () -> shared;
    }

    private static int defaultMaxClientConnections() {
      if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
        return (int) Math.max(64, Math.min(10_000, unix.getMaxFileDescriptorCount() / 4));
      }
      return 10_000;
    }

    private static Duration positive(Duration duration, String name) {
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + duration);
      }
      return duration;
    }
  }
}
