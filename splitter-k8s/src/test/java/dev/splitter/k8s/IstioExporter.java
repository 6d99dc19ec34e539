package dev.splitter.k8s;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an Istio sidecar exposes, as far as splitter reads it: {@code istio_requests_total} and
 * {@code istio_request_duration_milliseconds_{sum,count}} per destination Service and response
 * code, in Prometheus' text format on loopback. The test moves the counters.
 */
final class IstioExporter implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, long[]> counters = new TreeMap<>(); // service|code -> count, sum ms

  private IstioExporter(HttpServer server) {
    this.server = server;
  }

  static IstioExporter start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      IstioExporter exporter = new IstioExporter(server);
      server.createContext(
          "/metrics",
          exchange -> {
            byte[] body = exporter.exposition().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
      server.start();
      return exporter;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** host:port, for a scrape config. */
  String target() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * Counts {@code requests} answers of {@code code} from {@code service}, each taking {@code ms}.
   */
  synchronized void served(String service, int code, long requests, long ms) {
    long[] counter = counters.computeIfAbsent(service + "|" + code, key -> new long[2]);
    counter[0] += requests;
    counter[1] += requests * ms;
  }

  private synchronized String exposition() {
    StringBuilder text = new StringBuilder();
    text.append("# TYPE istio_requests_total counter\n");
    counters.forEach(
        (key, counter) ->
            text.append("istio_requests_total")
                .append(labels(key))
                .append(' ')
                .append(counter[0])
                .append('\n'));
    counters.forEach(
        (key, counter) -> {
          text.append("istio_request_duration_milliseconds_sum")
              .append(labels(key))
              .append(' ')
              .append(counter[1])
              .append('\n');
          text.append("istio_request_duration_milliseconds_count")
              .append(labels(key))
              .append(' ')
              .append(counter[0])
              .append('\n');
        });
    return text.toString();
  }

  private static String labels(String key) {
    String[] parts = key.split("\\|", -1);
    return "{reporter=\"destination\",destination_service_name=\""
        + parts[0]
        + "\",destination_service_namespace=\"models\",response_code=\""
        + parts[1]
        + "\"}";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
