package dev.splitter.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.splitter.InvalidConfigException;
import dev.splitter.core.Comparison;
import dev.splitter.core.NotDeployedException;
import dev.splitter.model.SplitterConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The loopback admin endpoint of {@code splitter serve}, so that {@code deploy}, {@code get} and
 * {@code delete} run as separate commands against the serve's gateway. Every request must carry the
 * serve's bearer token (kept in an owner-only file). JSON bodies.
 *
 * <p>Requests are read without blocking (Vert.x), so a client that sends half a request holds a
 * connection, never a thread; one silent for {@value #IDLE_SECONDS} s is closed. The work itself
 * runs on a pool of {@value #WORKERS} threads.
 */
final class AdminServer implements AutoCloseable {
  /** The largest configuration accepted, as the file reader's own limit. */
  private static final int MAX_BODY = 8 * 1024 * 1024;

  private static final String ROLLOUTS = "/v1/rollouts/";
  private static final String COMPARE = "/v1/compare/";
  private static final String DIFF = "/v1/diff/";

  static final int IDLE_SECONDS = 10;
  static final int WORKERS = 8;

  private final Vertx vertx;
  private final HttpServer server;
  private final Backend target;
  private final RolloutJobs rollouts;
  private final byte[] token;
  private final Supplier<String> metrics;
  private final @Nullable HttpServer metricsServer;
  private final @Nullable DashboardPages dashboard;

  /**
   * @param metrics the gateway's meters in the Prometheus text format, for {@code GET /metrics}
   * @param metricsPort a port of its own where {@code GET /metrics} needs no token (0: any free
   *     one); null for none
   * @param dashboard what the dashboard at {@code /dashboard} shows; null for no dashboard
   */
  AdminServer(
      Backend target,
      String token,
      Supplier<String> metrics,
      @Nullable Integer metricsPort,
      @Nullable Dashboard dashboard) {
    this.target = target;
    this.rollouts = new RolloutJobs(target);
    this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.metrics = metrics;
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(WORKERS));
    try {
      this.server = await(listen(0).requestHandler(this::handle).listen());
      this.metricsServer =
          metricsPort == null
              ? null
              : await(listen(metricsPort).requestHandler(this::handleMetrics).listen());
      this.dashboard =
          dashboard == null
              ? null
              : new DashboardPages(vertx, dashboard, token, server.actualPort());
    } catch (RuntimeException e) {
      await(vertx.close());
      throw e;
    }
  }

  private HttpServer listen(int port) {
    return vertx.createHttpServer(
        new HttpServerOptions()
            .setHost("127.0.0.1")
            .setPort(port)
            .setIdleTimeout(IDLE_SECONDS)
            .setIdleTimeoutUnit(TimeUnit.SECONDS));
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  /** Where {@code GET /metrics} answers without a token; empty without {@code --metrics-port}. */
  Optional<URI> metricsUri() {
    return Optional.ofNullable(metricsServer)
        .map(listening -> URI.create("http://127.0.0.1:" + listening.actualPort() + "/metrics"));
  }

  /** The address that opens the dashboard, token included; empty without one. */
  Optional<URI> dashboardUri() {
    return Optional.ofNullable(dashboard).map(pages -> pages.address(uri()));
  }

  private void handle(HttpServerRequest request) {
    DashboardPages pages = dashboard;
    if (pages != null && DashboardPages.handles(request)) {
      pages.handle(request);
      return;
    }
    String authorization = request.getHeader("Authorization");
    if (authorization == null
        || !MessageDigest.isEqual(token, authorization.getBytes(StandardCharsets.UTF_8))) {
      reply(request, 401, Map.of("error", "missing or wrong token"));
      return;
    }
    if (request.method() == HttpMethod.GET && request.path().equals("/metrics")) {
      handleMetrics(request);
      return;
    }
    readBounded(request)
        .compose(body -> vertx.executeBlocking(() -> route(request, body), false))
        .onSuccess(answer -> reply(request, answer.status(), answer.body()))
        .onFailure(failure -> reply(request, statusOf(failure), errorOf(failure)));
  }

  /** What a request gets. */
  private record Answer(int status, Object body) {}

  /** Runs on a worker thread: the target's calls block. */
  private Answer route(HttpServerRequest request, String body)
      throws JsonProcessingException, InterruptedException {
    HttpMethod method = request.method();
    String path = request.path();
    if (method == HttpMethod.POST && path.equals("/v1/deploy")) {
      String source = request.getParam("source", "cortex.yaml");
      SplitterConfig config = SplitterConfig.parse(body, source);
      return new Answer(
          200, target.deploy(config, body, "true".equals(request.getParam("dry_run"))));
    } else if (method == HttpMethod.POST && path.equals("/v1/serving-states")) {
      List<String> splitters = Json.JSON.readValue(body, new TypeReference<List<String>>() {});
      return new Answer(200, target.servingStates(splitters, Instant.MAX));
    } else if (method == HttpMethod.GET && path.equals("/v1/splitters")) {
      return new Answer(200, target.list());
    } else if (method == HttpMethod.GET && path.startsWith(COMPARE)) {
      return new Answer(200, target.compare(path.substring(COMPARE.length()), options(request)));
    } else if (method == HttpMethod.GET && path.startsWith(DIFF)) {
      int limit = Integer.parseInt(request.getParam("limit", "20"));
      return new Answer(200, target.diff(path.substring(DIFF.length()), limit));
    } else if (path.startsWith("/v1/splitters/") && method == HttpMethod.GET) {
      return new Answer(200, target.get(name(path)));
    } else if (path.startsWith("/v1/splitters/") && method == HttpMethod.DELETE) {
      return new Answer(200, Map.of("messages", target.delete(name(path))));
    } else if (method == HttpMethod.POST && path.equals("/v1/rollouts")) {
      rollouts.start(Json.JSON.readValue(body, Rollouts.Request.class));
      return new Answer(200, Map.of());
    } else if (method == HttpMethod.GET && path.startsWith(ROLLOUTS)) {
      int after = Integer.parseInt(request.getParam("after", "0"));
      return new Answer(200, rollouts.progress(path.substring(ROLLOUTS.length()), after));
    } else if (method == HttpMethod.DELETE && path.startsWith(ROLLOUTS)) {
      return new Answer(200, rollouts.abort(path.substring(ROLLOUTS.length())));
    }
    return new Answer(404, Map.of("error", "no " + method + " " + path));
  }

  /** A comparison's options from its query: what {@link ServeClient#compare} sends. */
  private static Comparison.Options options(HttpServerRequest request) {
    String window = request.getParam("window_seconds");
    return new Comparison.Options(
        request.getParam("baseline"),
        window == null ? null : Duration.ofSeconds(Long.parseLong(window)),
        Double.parseDouble(request.getParam("confidence", "0.95")),
        Double.parseDouble(request.getParam("error_margin", "0.005")),
        Double.parseDouble(request.getParam("latency_margin", "1.1")));
  }

  private static int statusOf(Throwable failure) {
    if (failure instanceof InvalidConfigException) {
      return 422;
    }
    if (failure instanceof NotDeployedException) {
      return 404;
    }
    return failure instanceof TooLarge ? 413 : 500;
  }

  private static Object errorOf(Throwable failure) {
    if (failure instanceof InvalidConfigException invalid) {
      return Map.of("violations", invalid.violations());
    }
    if (failure instanceof NotDeployedException notDeployed) {
      return Map.of("error", notDeployed.getMessage(), "not_deployed", notDeployed.name());
    }
    return Map.of("error", String.valueOf(failure.getMessage()));
  }

  private static String name(String path) {
    return path.substring("/v1/splitters/".length());
  }

  /** The metrics listener: {@code GET /metrics} only, read-only, no token. */
  private void handleMetrics(HttpServerRequest request) {
    if (request.method() != HttpMethod.GET || !request.path().equals("/metrics")) {
      reply(request, 404, Map.of("error", "only GET /metrics is served here"));
      return;
    }
    vertx
        .executeBlocking(metrics::get, false)
        .onSuccess(
            text ->
                request
                    .response()
                    .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(text))
        .onFailure(failure -> reply(request, 500, errorOf(failure)));
  }

  /** The body as text, failing as soon as it passes the limit. */
  private static Future<String> readBounded(HttpServerRequest request) {
    Promise<String> read = Promise.promise();
    Buffer body = Buffer.buffer();
    request.handler(
        chunk -> {
          if (body.length() + chunk.length() > MAX_BODY) {
            request.handler(null);
            read.tryFail(new TooLarge());
          } else {
            body.appendBuffer(chunk);
          }
        });
    request.endHandler(end -> read.tryComplete(body.toString(StandardCharsets.UTF_8)));
    request.exceptionHandler(read::tryFail);
    return read.future();
  }

  private static void reply(HttpServerRequest request, int status, Object body) {
    if (request.response().ended() || request.response().closed()) {
      return;
    }
    byte[] json;
    try {
      json = Json.JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      status = 500;
      json =
          "{\"error\":\"the answer could not be written as JSON\"}"
              .getBytes(StandardCharsets.UTF_8);
    }
    request.response().setStatusCode(status).putHeader("Content-Type", "application/json");
    if (status == 413) {
      request.response().putHeader("Connection", "close"); // the rest of the body is not read
    }
    request.response().end(Buffer.buffer(json));
  }

  @Override
  public void close() {
    try {
      rollouts.close();
      await(server.close());
      if (metricsServer != null) {
        await(metricsServer.close());
      }
    } finally {
      await(vertx.close());
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted while starting or stopping the admin endpoint", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new CliException("the admin endpoint could not start or stop: " + e.getMessage(), e);
    }
  }

  /** A configuration over the limit. */
  private static final class TooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super("the configuration is over " + MAX_BODY + " bytes");
    }
  }
}
