package dev.splitter.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TrafficSplitter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A real HTTP server on 127.0.0.1 standing in for a Realtime API. By default it answers 200 with
 * its name; it records what it received.
 */
final class TestApi implements AutoCloseable {
  /** What one request looked like when it arrived. */
  record Received(String method, String uri, Map<String, List<String>> headers, byte[] body) {}

  /** How the API answers. */
  interface Behaviour {
    void answer(HttpExchange exchange, String name, byte[] body) throws IOException;
  }

  private final String name;
  private final HttpServer server;
  private final ExecutorService workers = Executors.newFixedThreadPool(16);
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();

  private TestApi(String name, Behaviour behaviour) throws IOException {
    this.name = name;
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.incrementAndGet();
            received.add(
                new Received(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().toString(),
                    lowerCase(exchange.getRequestHeaders()),
                    body));
            behaviour.answer(exchange, name, body);
          }
        });
    server.setExecutor(workers);
    server.start();
  }

  /** Answers 200 with {@code {"api": NAME}}. */
  static TestApi named(String name) {
    return start(
        name, (exchange, self, body) -> respond(exchange, 200, "{\"api\": \"" + self + "\"}"));
  }

  /** Answers 200 with the request body, unchanged. */
  static TestApi echo(String name) {
    return start(
        name,
        (exchange, self, body) -> {
          exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
  }

  /** Answers with the given status and its name. */
  static TestApi answering(String name, int status) {
    return start(
        name, (exchange, self, body) -> respond(exchange, status, "{\"api\": \"" + self + "\"}"));
  }

  static TestApi start(String name, Behaviour behaviour) {
    try {
      return new TestApi(name, behaviour);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void respond(HttpExchange exchange, int status, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  String name() {
    return name;
  }

  /**
   * Registers this API with {@code cluster}, deploys splitter {@code ts} to it alone (weight 100).
   */
  URI servedAloneBy(LocalCluster cluster) {
    cluster.registerApi(name, uri());
    cluster
        .deployer()
        .deploy(SplitterConfig.of(TrafficSplitter.builder().name("ts").target(name, 100).build()));
    return cluster.endpointUrl("ts");
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  int requests() {
    return requests.get();
  }

  List<Received> received() {
    return received;
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }

  private static Map<String, List<String>> lowerCase(Map<String, List<String>> headers) {
    return headers.entrySet().stream()
        .collect(Collectors.toMap(entry -> entry.getKey().toLowerCase(), Map.Entry::getValue));
  }
}
