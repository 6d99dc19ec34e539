package dev.splitter.junit;

import static java.util.Objects.requireNonNull;

import dev.splitter.core.BackendException;
import dev.splitter.core.DeployResult;
import dev.splitter.core.Deployer;
import dev.splitter.local.LocalCluster;
import dev.splitter.local.SampleApi;
import dev.splitter.model.ApiResource;
import dev.splitter.model.RealtimeApi;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.Change;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A local gateway for one test: a {@link LocalCluster}, the sample APIs it started, and a way to
 * send predictions and count who answered. {@link LocalSplitterTest} makes one per test; it can
 * also be used alone, in a try-with-resources block.
 *
 * <pre>{@code
 * try (LocalSplitter splitter = LocalSplitter.start()) {
 *   splitter.sampleApi("my-api");
 *   splitter.sampleApi("my-api-v2");
 *   splitter.deploy(TrafficSplitter.builder().name("ab")
 *       .target("my-api", 90).target("my-api-v2", 10).build());
 *   SplitAssert.assertSplit(splitter.send("ab", 5_000)).matches(90, 10);
 * }
 * }</pre>
 *
 * <p>Thread-safe. Closing stops the gateway and every sample API it started.
 */
@API(status = API.Status.STABLE)
public final class LocalSplitter implements AutoCloseable {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final int IN_FLIGHT = 16;

  private final LocalCluster cluster;
  private final Map<String, SampleApi> samples = new ConcurrentHashMap<>();
  private final Set<String> registered = ConcurrentHashMap.newKeySet();
  private final Deployer deployer;
  private final HttpClient http;

  private LocalSplitter(LocalCluster cluster) {
    this.cluster = cluster;
    this.deployer = cluster.deployerBuilder().realtimeApis(this::startFileApi).build();
    this.http =
        HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY) // loopback only, whatever the environment says
            .connectTimeout(REQUEST_TIMEOUT)
            .build();
  }

  /** Starts a gateway with {@link LocalCluster}'s defaults. */
  public static LocalSplitter start() {
    return new LocalSplitter(LocalCluster.start());
  }

  /** Starts a gateway configured by the builder, such as one with a seed. */
  public static LocalSplitter start(LocalCluster.Builder cluster) {
    return new LocalSplitter(cluster.start());
  }

  /** The gateway. */
  public LocalCluster cluster() {
    return cluster;
  }

  /**
   * The deployer for the gateway. RealtimeAPIs in a deployed file that are not registered start as
   * sample APIs.
   */
  public Deployer deployer() {
    return deployer;
  }

  /** Starts a sample API that answers with its name and registers it; the same one if running. */
  public SampleApi sampleApi(String name) {
    return samples.computeIfAbsent(
        name,
        key -> {
          SampleApi api = SampleApi.start(key);
          registerApi(key, api.uri());
          return api;
        });
  }

  /** Starts a slow or failing sample API and registers it under its name. */
  public SampleApi sampleApi(SampleApi.Builder builder) {
    SampleApi api = builder.start();
    SampleApi previous = samples.put(api.name(), api);
    if (previous != null) {
      previous.close();
    }
    registerApi(api.name(), api.uri());
    return api;
  }

  /** Registers an API that runs elsewhere, such as a real model server started by the test. */
  public void registerApi(String name, URI uri) {
    cluster.registerApi(name, uri);
    registered.add(name);
  }

  /** Deploys a configuration file. */
  public DeployResult deploy(Path file) {
    return deployer.deploy(file);
  }

  /**
   * Deploys a configuration: a class path resource of that name, else a file.
   *
   * @throws dev.splitter.InvalidConfigException if neither exists or the file breaks a rule
   */
  public DeployResult deploy(String resourceOrFile) {
    try (InputStream resource = resource(resourceOrFile)) {
      if (resource == null) {
        return deployer.deploy(Path.of(resourceOrFile));
      }
      return deployer.deploy(
          SplitterConfig.parse(
              new String(resource.readAllBytes(), StandardCharsets.UTF_8), resourceOrFile));
    } catch (IOException e) {
      throw new IllegalStateException("the resource " + resourceOrFile + " cannot be read", e);
    }
  }

  /** Deploys splitters built in code. */
  public DeployResult deploy(TrafficSplitter... splitters) {
    return deployer.deploy(SplitterConfig.of(List.<ApiResource>of(splitters)));
  }

  /** Deploys a configuration. */
  public DeployResult deploy(SplitterConfig config) {
    return deployer.deploy(config);
  }

  /**
   * Where a deployed splitter is reached.
   *
   * @throws dev.splitter.core.NotDeployedException if it is not deployed
   */
  public URI endpoint(String splitter) {
    return cluster.endpointUrl(splitter);
  }

  /**
   * POSTs {@code count} small JSON predictions to a splitter's endpoint, a few at a time, and
   * counts who answered each (by the gateway's {@code x-splitter-api} header) and with which
   * status.
   */
  public Responses send(String splitter, int count) {
    return send(splitter, count, "{\"input\": 1}");
  }

  /** Like {@link #send(String, int)}, with a body of your own (JSON). */
  public Responses send(String splitter, int count, String jsonBody) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    TrafficSplitter spec =
        deployer.get(splitter).splitter(); // the weights in force, for the assertion later
    HttpRequest request =
        HttpRequest.newBuilder(endpoint(splitter))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(jsonBody))
            .build();
    Responses.Counter counter = new Responses.Counter(spec);
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      inFlight.acquireUninterruptibly();
      sent.add(
          http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
              .thenAccept(counter::add)
              .whenComplete((done, failure) -> inFlight.release()));
    }
    try {
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    } catch (RuntimeException e) {
      throw BackendException.builder("local", "send", splitter)
          .message("a request to " + endpoint(splitter) + " failed: " + e.getMessage())
          .cause(e)
          .build();
    }
    return counter.responses();
  }

  /**
   * POSTs one small JSON prediction for each key, carrying it in the gateway's key header ({@code
   * x-splitter-key} unless the cluster was built with another), and says which target answered
   * each: with keyed assignment, the owner of the key's bucket, the same on every call while the
   * weights leave it in place, and what {@code Assignment.target(key)} computes offline.
   *
   * <pre>{@code
   * Map<String, String> before = splitter.sendKeyed("ab", users);
   * splitter.deploy(raised);                                   // my-api-v2 10 % -> 50 %
   * Map<String, String> after = splitter.sendKeyed("ab", users);
   * // every user whose target changed moved to my-api-v2
   * }</pre>
   *
   * @return the target that answered, by key, in the keys' order
   * @throws BackendException if a request fails or is answered by no target
   */
  public Map<String, String> sendKeyed(String splitter, Collection<String> keys) {
    String header = requireNonNull(deployer.capabilities().assignment().header());
    Map<String, CompletableFuture<HttpResponse<Void>>> sent = new LinkedHashMap<>();
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    for (String key : keys) {
      inFlight.acquireUninterruptibly();
      HttpRequest request =
          HttpRequest.newBuilder(endpoint(splitter))
              .timeout(REQUEST_TIMEOUT)
              .header("Content-Type", "application/json")
              .header(header, key)
              .POST(HttpRequest.BodyPublishers.ofString("{\"input\": 1}"))
              .build();
      sent.put(
          key,
          http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
              .whenComplete((done, failure) -> inFlight.release()));
    }
    Map<String, String> answeredBy = new LinkedHashMap<>();
    sent.forEach(
        (key, answer) -> {
          HttpResponse<Void> response;
          try {
            response = answer.join();
          } catch (RuntimeException e) {
            throw BackendException.builder("local", "send", splitter)
                .message("a request to " + endpoint(splitter) + " failed: " + e.getMessage())
                .cause(e)
                .build();
          }
          answeredBy.put(
              key,
              response
                  .headers()
                  .firstValue(Responses.API_HEADER)
                  .orElseThrow(
                      () ->
                          BackendException.builder("local", "send", splitter)
                              .message(
                                  "no target answered key "
                                      + key
                                      + " (the gateway said "
                                      + response.statusCode()
                                      + ")")
                              .build()));
        });
    return answeredBy;
  }

  /** Stops the gateway and the sample APIs. Closing twice is harmless. */
  @Override
  public void close() {
    try {
      cluster.close();
    } finally {
      samples.values().forEach(SampleApi::close);
      samples.clear();
    }
  }

  private Change startFileApi(RealtimeApi api) {
    if (registered.contains(api.name())) {
      return Change.UNCHANGED;
    }
    sampleApi(api.name());
    return Change.CREATED;
  }

  /** A class path resource, as the test's class loader sees it; null if there is none. */
  private static @Nullable InputStream resource(String name) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = LocalSplitter.class.getClassLoader();
    }
    return loader.getResourceAsStream(name.startsWith("/") ? name.substring(1) : name);
  }
}
