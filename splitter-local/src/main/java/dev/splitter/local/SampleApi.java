package dev.splitter.local;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.splitter.core.BackendException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for a model server, for demos and tests: answers every request with {@code {"api":
 * NAME, "prediction": "ok", "bytes_read": N}}, so a caller can see which API a prediction reached.
 * It can also be made slow or failing, to play a bad candidate. Listens on 127.0.0.1, on a free
 * port.
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
public final class SampleApi implements AutoCloseable {
  private final String name;
  private final double failureRate;
  private final Duration latency;
  private final HttpServer server;
  private final ExecutorService workers = Executors.newFixedThreadPool(4);
  private final AtomicLong requests = new AtomicLong();

  private SampleApi(Builder builder, HttpServer server) {
    this.name = builder.name;
    this.failureRate = builder.failureRate;
    this.latency = builder.latency;
    this.server = server;
    server.createContext("/", this::answer);
    server.setExecutor(workers);
    server.start();
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
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** How many requests it has received. */
  public long requests() {
    return requests.get();
  }

  /** Stops the server at once. */
  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }

  private void answer(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    try (InputStream body = exchange.getRequestBody()) {
      int size = body.readAllBytes().length;
      pause();
      boolean fails = failureRate > 0 && ThreadLocalRandom.current().nextDouble() < failureRate;
      String answer =
          fails
              ? "{\"api\": \"" + name + "\", \"error\": \"failing on purpose\"}"
              : "{\"api\": \"" + name + "\", \"prediction\": \"ok\", \"bytes_read\": " + size + "}";
      byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(fails ? 500 : 200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private void pause() {
    if (latency.isZero()) {
      return;
    }
    try {
      Thread.sleep(latency.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // stopping: answer at once
    }
  }

  /** Builds a {@link SampleApi}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private double failureRate;
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
      try {
        return new SampleApi(
            this,
            HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128));
      } catch (IOException e) {
        throw BackendException.builder("local", "start", "sample API " + name)
            .message("could not listen: " + e.getMessage())
            .cause(e)
            .build();
      }
    }
  }
}
