package dev.splitter.cli.internal;

import dev.splitter.InvalidConfigException;
import dev.splitter.SplitterException;
import dev.splitter.core.Deployer;
import dev.splitter.local.LocalCluster;
import dev.splitter.local.ShadowComparison;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.rollout.RolloutListener;
import dev.splitter.spi.AssignmentMode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code splitter serve FILE}: the local gateway in the foreground, redeploying on change. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the local gateway in the foreground: deploys FILE, prints the endpoints, redeploys"
          + " when FILE changes, and stops cleanly on Ctrl-C.",
      "While it runs, `splitter deploy`, `get` and `delete` in other terminals act on it."
    })
final class ServeCommand implements Callable<Integer> {
  /** The reader's own limit: a larger file is refused when deployed, never read whole here. */
  private static final long MAX_CHECKED_BYTES = 8L * 1024 * 1024;

  private final Cli cli;

  @Parameters(paramLabel = "FILE", description = "The Cortex configuration file to serve.")
  Path file;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Default: ${DEFAULT-VALUE}.")
  String host;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "The gateway's port; 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--api",
      paramLabel = "NAME=URL",
      description = "Where a Realtime API listens (repeatable).")
  Map<String, URI> apis = new LinkedHashMap<>();

  @Option(
      names = "--sample-apis",
      description = "Start a sample server for each RealtimeAPI in the file that has no --api.")
  boolean sampleApis;

  @Option(
      names = "--prune",
      description =
          "Make FILE the whole truth: a splitter removed from it, or deployed through the admin"
              + " endpoint and not in it, is deleted after each good deploy of FILE. Default: kept,"
              + " as Cortex kept them.")
  boolean prune;

  @Option(
      names = "--header-timeout",
      defaultValue = "10s",
      description =
          "How long a caller may take to send a request's headers; then 408 (default:"
              + " ${DEFAULT-VALUE}).")
  Duration headerTimeout;

  @Option(
      names = "--idle-timeout",
      defaultValue = "60s",
      description =
          "How long a caller's connection may stay silent between requests or within a body"
              + " (default: ${DEFAULT-VALUE}).")
  Duration idleTimeout;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      description =
          "The most callers connected at once; at the cap the longest-idle one is closed"
              + " (default: a quarter of the file descriptor limit, at most 10000).")
  @Nullable Integer maxConnections;

  @Option(
      names = "--no-outlier-ejection",
      description =
          "Keep a failing Realtime API's full weight (callers get its errors) rather than"
              + " sending its share to the others until it recovers.")
  boolean noOutlierEjection;

  @Option(
      names = "--key-header",
      defaultValue = AssignmentMode.KEY_HEADER,
      description =
          "The request header that carries a user's key (e.g. x-user-id): requests with the same"
              + " key reach the same target while weights leave its bucket in place; requests"
              + " without it are drawn by weight (default: ${DEFAULT-VALUE}).")
  String keyHeader;

  @Option(
      names = "--shadow-ignore",
      paramLabel = "POINTER",
      description =
          "A JSON Pointer not compared between a shadow's answer and the live one, with"
              + " everything under it; * matches any key or index: /request_id, /items/*/id"
              + " (repeatable).")
  List<String> shadowIgnored = new java.util.ArrayList<>();

  @Option(
      names = "--shadow-tolerance",
      paramLabel = "ABS",
      defaultValue = "0",
      description =
          "Numbers in the two answers at most this far apart are equal (default:"
              + " ${DEFAULT-VALUE}).")
  double shadowTolerance;

  @Option(
      names = "--shadow-relative-tolerance",
      paramLabel = "REL",
      defaultValue = "1e-9",
      description =
          "Numbers at most this far apart relative to the larger are equal: 0.01 is within 1%%"
              + " (default: ${DEFAULT-VALUE}).")
  double shadowRelativeTolerance;

  @Option(
      names = "--shadow-noise",
      paramLabel = "SHARE",
      converter = RolloutCommand.Share.class,
      defaultValue = "0",
      description =
          "The share of mirrored requests also sent a second time to the live API, to find the"
              + " fields where it differs from itself (reported as noise, not as the shadow's"
              + " disagreement): 5%% or 0.05 (default: ${DEFAULT-VALUE}).")
  double shadowNoise;

  @Option(
      names = "--no-shadow-comparison",
      description = "Read and drop a shadow's answers, as Istio and ALB do, without comparing.")
  boolean noShadowComparison;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description =
          "Also serve the gateway's metrics (Prometheus text format) at"
              + " http://127.0.0.1:PORT/metrics without a token, for a Prometheus on this machine;"
              + " 0 for any free port. Without it they are at the admin endpoint's /metrics, with"
              + " the token.")
  @Nullable Integer metricsPort;

  @Option(
      names = "--prometheus",
      paramLabel = "URL",
      description =
          "Read the figures get, compare and rollout gates use from this Prometheus, which scrapes"
              + " this serve's --metrics-port (splitter_requests_total and"
              + " splitter_request_duration_seconds), as on Kubernetes; default: the gateway's own"
              + " counters. The shadow's comparisons still come from the gateway.")
  @Nullable URI prometheus;

  /** Whether a deploy of FILE has succeeded, so that something is being served. */
  private boolean served;

  @Option(
      names = "--poll",
      defaultValue = "500ms",
      description = "How often FILE is checked for changes: 500ms, 2s (default: ${DEFAULT-VALUE}).")
  Duration poll;

  ServeCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    LocalCluster.Builder gateway = gateway().meterRegistry(meters);
    refuseASecondServe();
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    Thread hook = new Thread(() -> stopAndWait(stopped, closed), "splitter-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try (LocalCluster cluster = gateway.start();
        FileApis fileApis = new FileApis(cluster, apis, sampleApis);
        Dashboard dashboard = new Dashboard(deployer(cluster, fileApis), cluster, cli.clock())) {
      RolloutGauges gauges = new RolloutGauges(meters);
      InProcessBackend target =
          new InProcessBackend(
              dashboard.deployer(),
              () -> {},
              cli.clock(),
              fileApis::stopUnused,
              splitter -> both(gauges.listener(splitter), dashboard.rolloutListener(splitter)));
      String token = ServeInfo.newToken();
      try (AdminServer admin =
          new AdminServer(target, token, meters::scrape, metricsPort, dashboard)) {
        ServeInfo info =
            new ServeInfo(admin.uri(), cluster.baseUrl(), token, ProcessHandle.current().pid());
        info.write(cli.home());
        try {
          cli.out().println("serving on " + cluster.baseUrl() + " (Ctrl-C stops)");
          admin
              .metricsUri()
              .ifPresent(uri -> cli.out().println("metrics on " + uri + " (no token)"));
          cli.out()
              .println(
                  "dashboard on "
                      + admin.uri()
                      + DashboardPages.PAGE
                      + " (`splitter dashboard` prints the address that opens it)");
          cli.out()
              .println(
                  prune
                      ? "--prune: splitters not in " + file + " are deleted after each deploy"
                      : "splitters removed from "
                          + file
                          + " keep serving until `splitter delete NAME` (or serve --prune)");
          String seen = version().orElse("");
          deploy(target, cluster);
          while (!stopped.await(poll.toMillis(), TimeUnit.MILLISECONDS)) {
            // A read that fails (the file being replaced, no file descriptor left) is no change.
            Optional<String> now = version();
            if (now.isPresent() && !now.get().equals(seen)) {
              seen = now.get();
              cli.out().println("\n" + file + " changed");
              deploy(target, cluster);
            }
          }
        } finally {
          info.remove(cli.home());
        }
      }
    } finally {
      // Said before releasing the hook: once it returns, the JVM may halt at any moment.
      cli.out().println("stopped");
      cli.out().flush();
      closed.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is what stopped us
      }
    }
    return 0;
  }

  /** The deployer the commands act through: the gateway's, with --prometheus's figures. */
  private Deployer deployer(LocalCluster cluster, FileApis fileApis) {
    Deployer.Builder deployer = cluster.deployerBuilder().realtimeApis(fileApis);
    if (prometheus != null) {
      deployer.metrics(new PrometheusCounts(prometheus, cluster.metrics()));
    }
    return deployer.build();
  }

  private static RolloutListener both(RolloutListener first, RolloutListener second) {
    return event -> {
      first.onEvent(event);
      second.onEvent(event);
    };
  }

  /** The gateway's settings, checked before anything starts. */
  private LocalCluster.Builder gateway() {
    if (headerTimeout.isNegative() || headerTimeout.isZero()) {
      throw new CliException("--header-timeout must be positive, got " + headerTimeout);
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new CliException("--idle-timeout must be positive, got " + idleTimeout);
    }
    if (metricsPort != null && (metricsPort < 0 || metricsPort > 65_535)) {
      throw new CliException("--metrics-port must be 0..65535, got " + metricsPort);
    }
    if (prometheus != null
        && (prometheus.getHost() == null
            || !("http".equals(prometheus.getScheme())
                || "https".equals(prometheus.getScheme())))) {
      throw new CliException("--prometheus must be an http(s) URL, got " + prometheus);
    }
    if (maxConnections != null && maxConnections < 1) {
      throw new CliException("--max-connections must be at least 1, got " + maxConnections);
    }
    LocalCluster.Builder gateway =
        LocalCluster.builder()
            .host(host)
            .port(port)
            .headerTimeout(headerTimeout)
            .idleTimeout(idleTimeout)
            .outlierEjection(!noOutlierEjection);
    try {
      gateway.keyHeader(keyHeader);
    } catch (IllegalArgumentException e) {
      throw new CliException("--key-header: " + e.getMessage());
    }
    if (maxConnections != null) {
      gateway.maxClientConnections(maxConnections);
    }
    gateway.shadowComparison(shadowComparison());
    return gateway;
  }

  private ShadowComparison shadowComparison() {
    if (noShadowComparison) {
      return ShadowComparison.off();
    }
    try {
      return ShadowComparison.builder()
          .ignore(shadowIgnored.toArray(String[]::new))
          .absoluteTolerance(shadowTolerance)
          .relativeTolerance(shadowRelativeTolerance)
          .noiseSample(shadowNoise)
          .build();
    } catch (IllegalArgumentException e) {
      throw new CliException("--shadow-*: " + e.getMessage());
    }
  }

  /**
   * One serve per splitter home: a second would take over serve.json, and the first one's commands
   * would reach the second.
   */
  private void refuseASecondServe() {
    Optional<ServeInfo> running = ServeInfo.read(cli.home()).filter(ServeInfo::running);
    if (running.isPresent()) {
      throw new CliException(
          "a splitter serve is already running for "
              + cli.home()
              + " (gateway "
              + running.get().gateway()
              + ", pid "
              + running.get().pid()
              + "): stop it first, or give this one another home with SPLITTER_HOME=DIR");
    }
  }

  /** Deploys the file as it is now; a bad file is reported and the last good one keeps serving. */
  private void deploy(InProcessBackend target, LocalCluster cluster) {
    try {
      // Read once: what is deployed and the endpoints printed come from the same text.
      String text = SplitterConfig.readText(file);
      SplitterConfig config = SplitterConfig.parse(text, file.toString());
      Views.Deployed result = target.deploy(config, text, false);
      result.messages().forEach(cli.out()::println);
      result.warnings().forEach(warning -> cli.err().println("warning: " + warning));
      for (TrafficSplitter splitter : config.trafficSplitters()) {
        cli.out().println(splitter.name() + ": " + cluster.endpointUrl(splitter.name()));
      }
      served = true;
      others(target, config);
    } catch (InvalidConfigException e) {
      e.violations().forEach(violation -> cli.err().println(violation));
      cli.err().println("not deployed; " + stillServing());
    } catch (SplitterException e) {
      cli.err().println("error: " + e.getMessage() + "; " + stillServing());
    }
    cli.out().flush();
    cli.err().flush();
  }

  private String stillServing() {
    return served
        ? "still serving the last good version"
        : "nothing is served yet: fix " + file + " and save it";
  }

  /**
   * The splitters deployed but not in the file (removed from it, or deployed through the admin
   * endpoint): deleted with --prune, else named, since they keep taking traffic.
   */
  private void others(InProcessBackend target, SplitterConfig config) {
    Set<String> inFile =
        config.trafficSplitters().stream().map(TrafficSplitter::name).collect(Collectors.toSet());
    List<String> others =
        target.list().view().stream()
            .map(Views.Summary::name)
            .filter(name -> !inFile.contains(name))
            .toList();
    if (others.isEmpty()) {
      return;
    }
    if (prune) {
      for (String name : others) {
        target.delete(name).forEach(line -> cli.out().println(line + " (not in " + file + ")"));
      }
    } else {
      cli.out()
          .println(
              "note: deployed but not in "
                  + file
                  + ", still serving: "
                  + String.join(", ", others)
                  + " (splitter delete NAME, or serve --prune)");
    }
  }

  /**
   * What the file holds: its size and a checksum of its text, so that only a change of content
   * redeploys (not a save of the same text, nor a touch); for a file too large to deploy, its size
   * and modification time. Empty when it cannot be read just now.
   */
  private Optional<String> version() {
    try {
      long size = Files.size(file);
      if (size > MAX_CHECKED_BYTES) {
        return Optional.of(size + "/" + Files.getLastModifiedTime(file));
      }
      CRC32 checksum = new CRC32();
      checksum.update(Files.readAllBytes(file));
      return Optional.of(size + "/" + checksum.getValue());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** On Ctrl-C: ask the loop to stop, then wait for it to close everything it opened. */
  private static void stopAndWait(CountDownLatch stopped, CountDownLatch closed) {
    stopped.countDown();
    try {
      closed.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
