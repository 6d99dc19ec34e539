package dev.splitter.k8s;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.splitter.local.OrphanReaper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real Prometheus (Debian's package) on loopback, scraping one target every second, with its
 * storage in a temporary directory; public for the command's tests, which scrape {@code serve}.
 * Stopped with SIGTERM, then SIGKILL, when closed. Without the binary, tests that need it are
 * skipped, or fail with {@code CI=true}.
 */
public final class PrometheusServer implements AutoCloseable {
  private static final Path BINARY =
      Path.of(System.getProperty("splitter.prometheus", "/usr/bin/prometheus"));

  public final URI url;
  private final Process process;
  private final Path work;

  private PrometheusServer(URI url, Process process, Path work) {
    this.url = url;
    this.process = process;
    this.work = work;
  }

  /** Starts Prometheus scraping {@code target} (host:port, path /metrics) and waits until ready. */
  public static PrometheusServer scraping(String target) {
    if (!Files.isExecutable(BINARY) && !"true".equals(System.getenv("CI"))) {
      assumeTrue(false, "no Prometheus here: run tools/install-prometheus.sh");
    }
    try {
      Path work = Files.createTempDirectory("splitter-prometheus-");
      Path config = work.resolve("prometheus.yml");
      Files.writeString(
          config,
          """
          global:
            scrape_interval: 1s
            evaluation_interval: 1s
          scrape_configs:
            - job_name: mesh
              static_configs:
                - targets: ["%s"]
          """
              .formatted(target),
          StandardCharsets.UTF_8);
      int port = freePort();
      Process process =
          new ProcessBuilder(
                  BINARY.toString(),
                  "--config.file=" + config,
                  "--storage.tsdb.path=" + work.resolve("data"),
                  "--web.listen-address=127.0.0.1:" + port,
                  "--log.level=warn")
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("prometheus.log").toFile())
              .start();
      // Stopped by close(); if this JVM is killed first, the reaper stops it.
      OrphanReaper.watch(process);
      PrometheusServer server =
          new PrometheusServer(URI.create("http://127.0.0.1:" + port + "/"), process, work);
      server.awaitReady();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady() {
    if (!await(response -> response.statusCode() == 200, "-/ready")) {
      close();
      throw new IllegalStateException("Prometheus did not become ready; see " + work);
    }
  }

  /**
   * Waits until the target has been scraped twice: Prometheus takes up to five seconds to start
   * scraping a new target, and increase() counts only from a series' first sample.
   */
  public void awaitScrapes() {
    boolean twice =
        await(
            response ->
                response.body().matches("(?s).*\\[\\d+(\\.\\d+)?,\\s*\"([2-9]|\\d\\d+)\"\\].*"),
            "api/v1/query?query=count_over_time(up%5B1m%5D)");
    if (!twice) {
      throw new IllegalStateException("Prometheus did not scrape its target twice in 30 s");
    }
  }

  /**
   * Asks {@code path} until the answer is {@code good}, for up to 30 s or until Prometheus exits.
   */
  private boolean await(Predicate<HttpResponse<String>> good, String path) {
    HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline) && process.isAlive()) {
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(url.resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (good.test(response)) {
          return true;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      sleep(100);
    }
    return false;
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try (Stream<Path> files = Files.walk(work)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is not worth failing a test
    }
  }
}
