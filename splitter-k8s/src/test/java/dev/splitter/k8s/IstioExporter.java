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

  /** Istio's default bounds of {@code istio_request_duration_milliseconds}, in milliseconds. */
  static final double[] BOUNDS = {
    0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000,
    1800000, 3600000
  };

  // service|code -> count, sum ms, then the count at or under each bound
  private final Map<String, long[]> counters = new TreeMap<>();

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
    long[] counter =
        counters.computeIfAbsent(service + "|" + code, key -> new long[2 + BOUNDS.length]);
    counter[0] += requests;
    counter[1] += requests * ms;
    for (int i = 0; i < BOUNDS.length; i++) {
      if (ms <= BOUNDS[i]) {
        counter[2 + i] += requests;
      }
    }
  }

  private synchronized String exposition() {
    StringBuilder text = new StringBuilder();
    text.append("# TYPE istio_requests_total counter\n");
    text.append("# TYPE istio_request_duration_milliseconds histogram\n");
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
          for (int i = 0; i <= BOUNDS.length; i++) {
            String le =
                i == BOUNDS.length
                    ? "+Inf"
                    : BOUNDS[i] == Math.rint(BOUNDS[i])
                        ? Long.toString((long) BOUNDS[i])
                        : Double.toString(BOUNDS[i]);
            String labels = labels(key);
            text.append("istio_request_duration_milliseconds_bucket")
                .append(labels, 0, labels.length() - 1)
                .append(",le=\"")
                .append(le)
                .append("\"} ")
                .append(i == BOUNDS.length ? counter[0] : counter[2 + i])
                .append('\n');
          }
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
