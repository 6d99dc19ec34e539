package dev.splitter.local;

import static java.util.Objects.requireNonNull;

import dev.splitter.core.BackendException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apiguardian.api.API;

/**
 * A stand-in for a model server, for demos and tests: answers every request with {@code {"api":
 * NAME, "prediction": "ok", "bytes_read": N}}, so a caller can see which API a prediction reached.
 * It can also be made slow, failing or disagreeing, to play a bad candidate. Listens on 127.0.0.1,
 * on a free port.
 *
 * <pre>{@code
 * try (SampleApi api = SampleApi.start("my-api");
 *     SampleApi flaky = SampleApi.builder("my-api-v2").failureRate(0.2).start()) {
 *   cluster.registerApi(api.name(), api.uri());
 *   cluster.registerApi(flaky.name(), flaky.uri());   // 20% of its answers are 500
 * }
 * }</pre>
 *
 * <p>Thread-safe. Close it to stop the server.
 */
@API(status = API.Status.STABLE)
public final class SampleApi implements AutoCloseable {
  private static final long WAIT_SECONDS = 10;

  private final String name;
  private final double failureRate;
  private final double disagreement;
  private final Duration latency;
  private final Vertx vertx;
  private final HttpServer server;
  private final AtomicLong requests = new AtomicLong();

  private SampleApi(Builder builder, Vertx vertx, HttpServer server) {
    this.name = builder.name;
    this.failureRate = builder.failureRate;
    this.disagreement = builder.disagreement;
    this.latency = builder.latency;
    this.vertx = vertx;
    this.server = server;
  }

  /** Starts a sample API that answers every request with 200. */
  public static SampleApi start(String name) {
    return builder(name).start();
  }

  /** A builder for a sample API that is slow or fails. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The name it answers with. */
  public String name() {
    return name;
  }

  /** Where it listens, such as {@code http://127.0.0.1:41234/}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.actualPort() + "/");
  }

  /** How many requests it has received. */
  public long requests() {
    return requests.get();
  }

  /** Stops the server at once. */
  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // Stopping a stand-in: its threads are daemons and go with the JVM.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void answer(HttpServerRequest request) {
    requests.incrementAndGet();
    request.body(
        body -> {
          int size = body.succeeded() ? body.result().length() : 0;
          if (latency.isZero()) {
            respond(request, size);
          } else {
            vertx.setTimer(latency.toMillis(), timer -> respond(request, size));
          }
        });
  }

  private void respond(HttpServerRequest request, int size) {
    boolean fails = failureRate > 0 && ThreadLocalRandom.current().nextDouble() < failureRate;
    boolean disagrees = disagreement > 0 && ThreadLocalRandom.current().nextDouble() < disagreement;
    String answer =
        fails
            ? "{\"api\": \"" + name + "\", \"error\": \"failing on purpose\"}"
            : "{\"api\": \""
                + name
                + "\", \"prediction\": \""
                + (disagrees ? "other" : "ok")
                + "\", \"bytes_read\": "
                + size
                + "}";
    request
        .response()
        .setStatusCode(fails ? 500 : 200)
        .putHeader("Content-Type", "application/json")
        .end(answer);
  }

  /** Builds a {@link SampleApi}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private double failureRate;
    private double disagreement;
    private Duration latency = Duration.ZERO;

    private Builder(String name) {
      this.name = requireNonNull(name, "name");
    }

    /** The share of requests, 0 to 1, answered with 500 instead of a prediction. Default 0. */
    public Builder failureRate(double failureRate) {
      if (!(failureRate >= 0 && failureRate <= 1)) {
        throw new IllegalArgumentException("failureRate must be 0..1, got " + failureRate);
      }
      this.failureRate = failureRate;
      return this;
    }

    /**
     * The share of requests, 0 to 1, answered with another prediction ({@code "prediction":
     * "other"}): a candidate that disagrees with the model in production, for a shadow comparison.
     * Default 0.
     */
    public Builder disagreement(double disagreement) {
      if (!(disagreement >= 0 && disagreement <= 1)) {
        throw new IllegalArgumentException("disagreement must be 0..1, got " + disagreement);
      }
      this.disagreement = disagreement;
      return this;
    }

    /** How long each answer waits before it is sent. Default: none. */
    public Builder latency(Duration latency) {
      if (latency.isNegative()) {
        throw new IllegalArgumentException("latency must not be negative, got " + latency);
      }
      this.latency = latency;
      return this;
    }

    /**
     * Starts the server on 127.0.0.1 and a free port.
     *
     * @throws BackendException if no port could be bound
     */
    public SampleApi start() {
      // One event loop: a stand-in model server needs no more, and a demo starts several.
      Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
      HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"));
      SampleApi api = new SampleApi(this, vertx, server);
      server.requestHandler(api::answer);
      try {
        server
            .listen(0)
            .toCompletionStage()
            .toCompletableFuture()
            .get(WAIT_SECONDS, TimeUnit.SECONDS);
        return api;
      } catch (ExecutionException | TimeoutException | InterruptedException e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        api.close();
        throw BackendException.builder("local", "start", "sample API " + name)
            .message("could not listen: " + e.getMessage())
            .cause(e)
            .build();
      }
    }
  }
}
