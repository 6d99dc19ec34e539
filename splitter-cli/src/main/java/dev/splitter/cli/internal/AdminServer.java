package dev.splitter.cli.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.splitter.InvalidConfigException;
import dev.splitter.core.NotDeployedException;
import dev.splitter.model.SplitterConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The loopback admin endpoint of {@code splitter serve}, so that {@code deploy}, {@code get} and
 * {@code delete} run as separate commands against the serve's gateway. Every request must carry the
 * serve's bearer token (kept in an owner-only file). JDK HTTP server; JSON bodies.
 */
final class AdminServer implements AutoCloseable {
  /** The largest configuration accepted, as the file reader's own limit. */
  private static final int MAX_BODY = 8 * 1024 * 1024;

  private final HttpServer server;
  private final ExecutorService workers = Executors.newFixedThreadPool(2);
  private final Target target;
  private final byte[] token;

  AdminServer(Target target, String token) throws IOException {
    this.target = target;
    this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/v1/", this::handle);
    server.setExecutor(workers);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (authorization == null
          || !MessageDigest.isEqual(token, authorization.getBytes(StandardCharsets.UTF_8))) {
        reply(exchange, 401, Map.of("error", "missing or wrong token"));
        return;
      }
      try {
        route(exchange);
      } catch (InvalidConfigException e) {
        reply(exchange, 422, Map.of("violations", e.violations()));
      } catch (NotDeployedException e) {
        reply(exchange, 404, Map.of("error", e.getMessage(), "not_deployed", e.name()));
      } catch (RuntimeException e) {
        reply(exchange, 500, Map.of("error", String.valueOf(e.getMessage())));
      }
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    if (method.equals("POST") && path.equals("/v1/deploy")) {
      Map<String, String> query = query(exchange.getRequestURI());
      String text = body(exchange);
      SplitterConfig config =
          SplitterConfig.parse(text, query.getOrDefault("source", "cortex.yaml"));
      reply(exchange, 200, target.deploy(config, text, "true".equals(query.get("dry_run"))));
    } else if (method.equals("POST") && path.equals("/v1/serving-states")) {
      List<String> splitters =
          Json.JSON.readValue(body(exchange), new TypeReference<List<String>>() {});
      reply(exchange, 200, target.servingStates(splitters, Instant.MAX));
    } else if (method.equals("GET") && path.equals("/v1/splitters")) {
      reply(exchange, 200, target.list());
    } else if (path.startsWith("/v1/splitters/") && method.equals("GET")) {
      reply(exchange, 200, target.get(name(path)));
    } else if (path.startsWith("/v1/splitters/") && method.equals("DELETE")) {
      reply(exchange, 200, Map.of("messages", target.delete(name(path))));
    } else {
      reply(exchange, 404, Map.of("error", "no " + method + " " + path));
    }
  }

  private static String name(String path) {
    return path.substring("/v1/splitters/".length());
  }

  private static String body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        throw new CliException("the configuration is over " + MAX_BODY + " bytes");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> query = new HashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&", -1)) {
        int equals = pair.indexOf('=');
        if (equals > 0) {
          query.put(
              URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return query;
  }

  private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] json = Json.JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, json.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(json);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
