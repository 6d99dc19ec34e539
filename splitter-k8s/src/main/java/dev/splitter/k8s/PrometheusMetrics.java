package dev.splitter.k8s;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitter.model.internal.Required;
import dev.splitter.spi.LatencyDistribution;
import dev.splitter.spi.MetricsReport;
import dev.splitter.spi.MetricsSource;
import dev.splitter.spi.TargetMetrics;
import dev.splitter.support.BackendCalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Per-target traffic from Prometheus: what {@code get} shows as avg request, 2XX, 5XX and the
 * latency percentiles on Kubernetes. By default from Istio's standard metrics, reported by the
 * destination ({@code istio_requests_total}, {@code istio_request_duration_milliseconds_sum/_count}
 * and {@code _bucket}, labels {@code destination_service_name}, {@code
 * destination_service_namespace}, {@code response_code}), over the Deployer's metrics window,
 * through the HTTP API ({@code /api/v1/query}): five instant queries per {@code get}, whatever the
 * number of targets. A quantile is interpolated in Istio's buckets as {@code histogram_quantile}
 * does, so it is only as fine as they are (0.5, 1, 5, 10, 25, 50, 100, 250, 500 ms, …).
 *
 * <pre>{@code
 * MetricsSource metrics = PrometheusMetrics.builder()
 *     .url(URI.create("http://prometheus.istio-system:9090"))
 *     .namespace("models")                      // where the targets' Services are
 *     .build();
 * Deployer deployer = Deployer.builder().routing(istio).metrics(metrics).build();
 * }</pre>
 *
 * <p>The local gateway's own metrics, as {@code splitter serve} or an application with {@code
 * LocalCluster.builder().meterRegistry(...)} exposes them to a Prometheus, are read with {@link
 * Queries#splitterGateway()} (no namespace needed): a rollout on the local gateway is then gated
 * through Prometheus as on Kubernetes.
 *
 * <p>For Envoy Gateway, Linkerd or other labels, give your own {@link Queries}. A target with no
 * samples in the window shows {@code -} and a note; Prometheus unreachable or refusing a query
 * makes {@code get} show {@code -} everywhere and say why. Thread-safe.
 */
@API(status = API.Status.STABLE)
public final class PrometheusMetrics implements MetricsSource {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI url;
  private final @Nullable String namespace;
  private final ServiceResolver services;
  private final Queries queries;
  private final HttpClient http;
  private final Duration timeout;
  private final BackendCalls calls = BackendCalls.of("prometheus");

  private PrometheusMetrics(Builder builder) {
    URI base = Required.value(builder.url, "url");
    this.url = base.getPath().endsWith("/") ? base : URI.create(base + "/");
    this.queries = builder.queries;
    if (builder.namespace == null && queries.templates().anyMatch(q -> q.contains("{namespace}"))) {
      throw new IllegalStateException("namespace is required: the queries name {namespace}");
    }
    this.namespace = builder.namespace;
    this.services = builder.services;
    this.http = builder.http != null ? builder.http : HttpClient.newHttpClient();
    this.timeout = builder.timeout;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Map<String, TargetMetrics> metrics(
      String splitterName, List<String> apiNames, Duration window) {
    return report(splitterName, apiNames, window).metrics();
  }

  @Override
  public MetricsReport report(String splitterName, List<String> apiNames, Duration window) {
    if (apiNames.isEmpty()) {
      return MetricsReport.of(Map.of());
    }
    Map<String, String> apiOfService = new LinkedHashMap<>();
    apiNames.forEach(api -> apiOfService.put(services.serviceFor(api), api));
    Map<String, String> values = new HashMap<>();
    values.put(
        "services",
        apiOfService.keySet().stream()
            .map(PrometheusMetrics::regexLiteral)
            .collect(Collectors.joining("|")));
    values.put("splitter", stringLiteral(splitterName));
    values.put("window", window.toSeconds() + "s");
    if (namespace != null) {
      values.put("namespace", stringLiteral(namespace));
    }
    Map<String, Double> requests = query("requests", queries.requests(), values);
    Map<String, Double> ok = query("2XX", queries.responses2xx(), values);
    Map<String, Double> errors = query("5XX", queries.responses5xx(), values);
    Map<String, Double> latency = query("avg request", queries.averageLatencyMillis(), values);
    Map<String, LatencyDistribution> histograms =
        queries.latencyBucketsMillis() == null
            ? Map.of()
            : histograms(queries.latencyBucketsMillis(), values);
    Map<String, TargetMetrics> metrics = new LinkedHashMap<>();
    List<String> silent = new ArrayList<>();
    apiOfService.forEach(
        (service, api) -> {
          Double served = requests.get(service);
          if (served == null) {
            silent.add(api);
            return;
          }
          Double millis = latency.get(service);
          metrics.put(
              api,
              new TargetMetrics(
                  Math.round(served),
                  Math.round(ok.getOrDefault(service, 0.0)),
                  Math.round(errors.getOrDefault(service, 0.0)),
                  millis == null || millis.isNaN()
                      ? null
                      : Duration.ofNanos(Math.round(millis * 1_000_000)),
                  0,
                  histograms.getOrDefault(service, LatencyDistribution.EMPTY)));
        });
    List<String> notes =
        silent.isEmpty()
            ? List.of()
            : List.of(
                "prometheus has no samples for "
                    + String.join(", ", silent)
                    + " in the last "
                    + window.toSeconds()
                    + "s");
    return new MetricsReport(metrics, notes);
  }

  /**
   * The latency histogram per Service: one instant query whose samples carry {@code le}, each the
   * count at or under that bound in milliseconds (Prometheus's cumulative buckets), made into
   * counts per bucket. {@code increase} extrapolates, so counts are rounded and a bucket never
   * counts below zero.
   */
  private Map<String, LatencyDistribution> histograms(String template, Map<String, String> values) {
    Map<String, java.util.TreeMap<Double, Double>> cumulative = new HashMap<>();
    for (JsonNode sample : samples("latency buckets", template, values)) {
      String service = sample.path("metric").path(queries.serviceLabel()).asText(null);
      String le = sample.path("metric").path("le").asText(null);
      JsonNode value = sample.path("value").path(1);
      if (service != null && le != null && value.isTextual()) {
        double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
        cumulative
            .computeIfAbsent(service, key -> new java.util.TreeMap<>())
            .put(bound, Double.parseDouble(value.asText()));
      }
    }
    Map<String, LatencyDistribution> histograms = new HashMap<>();
    cumulative.forEach(
        (service, buckets) -> {
          long[] upper = new long[buckets.size()];
          long[] counts = new long[buckets.size()];
          int i = 0;
          long below = 0;
          for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
            upper[i] =
                bucket.getKey().isInfinite()
                    ? Long.MAX_VALUE
                    : Math.round(bucket.getKey() * queries.bucketBoundMillis() * 1_000_000);
            long atOrUnder =
                Double.isNaN(bucket.getValue()) ? below : Math.round(bucket.getValue());
            counts[i] = Math.max(0, atOrUnder - below);
            below = Math.max(below, atOrUnder);
            i++;
          }
          histograms.put(service, LatencyDistribution.histogram(upper, counts));
        });
    return histograms;
  }

  /** One instant query; its value per {@code queries.serviceLabel()}. */
  private Map<String, Double> query(String figure, String template, Map<String, String> values) {
    Map<String, Double> byService = new HashMap<>();
    for (JsonNode sample : samples(figure, template, values)) {
      String service = sample.path("metric").path(queries.serviceLabel()).asText(null);
      JsonNode value = sample.path("value").path(1);
      if (service != null && value.isTextual()) {
        byService.put(service, Double.parseDouble(value.asText()));
      }
    }
    return byService;
  }

  /** One instant query's samples. */
  private JsonNode samples(String figure, String template, Map<String, String> values) {
    String promql = Queries.fill(template, values);
    URI uri =
        url.resolve("api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    JsonNode answer =
        calls.call(
            "query",
            figure,
            () -> {
              try {
                HttpResponse<String> response =
                    http.send(
                        HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode body = JSON.readTree(response.body());
                if (response.statusCode() != 200
                    || !"success".equals(body.path("status").asText())) {
                  throw new IllegalStateException(
                      promql
                          + ": HTTP "
                          + response.statusCode()
                          + ": "
                          + body.path("errorType").asText("?")
                          + ": "
                          + body.path("error").asText(response.body()));
                }
                return body;
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
              }
            });
    return answer.path("data").path("result");
  }

  /** A value inside a PromQL double-quoted string. */
  private static String stringLiteral(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /**
   * A Service name as a regular expression that matches only it, inside a PromQL string (whose own
   * escapes take a backslash too).
   */
  private static String regexLiteral(String name) {
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if ("\\.^$|?*+()[]{}".indexOf(c) >= 0) {
        literal.append("\\\\");
      }
      literal.append(c);
    }
    return literal.toString();
  }

  /**
   * The PromQL behind each figure, as templates: {@code {services}} becomes a regular expression
   * matching every target's Service, {@code {namespace}} their namespace, {@code {splitter}} the
   * splitter's name and {@code {window}} the window ({@code 3600s}). Each query returns one sample
   * per Service, labelled {@code serviceLabel}.
   *
   * @param requests requests served in the window
   * @param responses2xx answers with a 2XX status in the window
   * @param responses5xx answers with a 5XX status in the window
   * @param averageLatencyMillis mean time to answer in the window, in milliseconds
   * @param serviceLabel the label naming the Service in every result
   * @param latencyBucketsMillis the latency histogram's buckets in the window: one sample per
   *     Service and bound, labelled {@code le} (milliseconds, {@code +Inf} last), each the count at
   *     or under it; null for a source without one (no percentiles, no latency gates)
   * @param bucketBoundMillis milliseconds in one unit of the buckets' {@code le}: 1 for Istio's
   *     (milliseconds), 1000 for a histogram in seconds, as Prometheus's conventions name them
   */
  public record Queries(
      String requests,
      String responses2xx,
      String responses5xx,
      String averageLatencyMillis,
      String serviceLabel,
      @Nullable String latencyBucketsMillis,
      double bucketBoundMillis) {
    private static final String ISTIO_SELECTOR =
        "reporter=\"destination\",destination_service_name=~\"{services}\","
            + "destination_service_namespace=\"{namespace}\"";

    public Queries {
      requireNonNull(requests, "requests");
      requireNonNull(responses2xx, "responses2xx");
      requireNonNull(responses5xx, "responses5xx");
      requireNonNull(averageLatencyMillis, "averageLatencyMillis");
      requireNonNull(serviceLabel, "serviceLabel");
      if (!(bucketBoundMillis > 0) || Double.isInfinite(bucketBoundMillis)) {
        throw new IllegalArgumentException(
            "bucketBoundMillis must be positive, got " + bucketBoundMillis);
      }
    }

    /** Queries with a latency histogram whose {@code le} is in milliseconds. */
    public Queries(
        String requests,
        String responses2xx,
        String responses5xx,
        String averageLatencyMillis,
        String serviceLabel,
        @Nullable String latencyBucketsMillis) {
      this(
          requests,
          responses2xx,
          responses5xx,
          averageLatencyMillis,
          serviceLabel,
          latencyBucketsMillis,
          1);
    }

    /** Queries without a latency histogram. */
    public Queries(
        String requests,
        String responses2xx,
        String responses5xx,
        String averageLatencyMillis,
        String serviceLabel) {
      this(requests, responses2xx, responses5xx, averageLatencyMillis, serviceLabel, null, 1);
    }

    /** Istio's standard metrics, as the destination's sidecar reports them. The default. */
    public static Queries istio() {
      String by = " by (destination_service_name)";
      return new Queries(
          "sum(increase(istio_requests_total{" + ISTIO_SELECTOR + "}[{window}]))" + by,
          "sum(increase(istio_requests_total{"
              + ISTIO_SELECTOR
              + ",response_code=~\"2..\"}[{window}]))"
              + by,
          "sum(increase(istio_requests_total{"
              + ISTIO_SELECTOR
              + ",response_code=~\"5..\"}[{window}]))"
              + by,
          "sum(increase(istio_request_duration_milliseconds_sum{"
              + ISTIO_SELECTOR
              + "}[{window}]))"
              + by
              + " / sum(increase(istio_request_duration_milliseconds_count{"
              + ISTIO_SELECTOR
              + "}[{window}]))"
              + by,
          "destination_service_name",
          "sum(increase(istio_request_duration_milliseconds_bucket{"
              + ISTIO_SELECTOR
              + "}[{window}])) by (destination_service_name, le)");
    }

    /**
     * The local gateway's own metrics ({@code splitter_requests_total}, {@code
     * splitter_request_duration_seconds}; labels {@code splitter}, {@code api}, {@code
     * status_class}), as {@code splitter serve}'s {@code /metrics} or an application's Micrometer
     * registry exposes them: counted per splitter, by API name (keep the default {@link
     * ServiceResolver#sameName()}). Needs no namespace.
     */
    public static Queries splitterGateway() {
      String selector = "splitter=\"{splitter}\",api=~\"{services}\"";
      String by = " by (api)";
      return new Queries(
          "sum(increase(splitter_requests_total{" + selector + "}[{window}]))" + by,
          "sum(increase(splitter_requests_total{"
              + selector
              + ",status_class=\"2xx\"}[{window}]))"
              + by,
          "sum(increase(splitter_requests_total{"
              + selector
              + ",status_class=\"5xx\"}[{window}]))"
              + by,
          "1000 * sum(increase(splitter_request_duration_seconds_sum{"
              + selector
              + "}[{window}]))"
              + by
              + " / sum(increase(splitter_request_duration_seconds_count{"
              + selector
              + "}[{window}]))"
              + by,
          "api",
          "sum(increase(splitter_request_duration_seconds_bucket{"
              + selector
              + "}[{window}])) by (api, le)",
          1000);
    }

    /** Every template, to check what they name. */
    java.util.stream.Stream<String> templates() {
      return java.util.stream.Stream.of(
          requests,
          responses2xx,
          responses5xx,
          averageLatencyMillis,
          latencyBucketsMillis == null ? "" : latencyBucketsMillis);
    }

    static String fill(String template, Map<String, String> values) {
      String filled = template;
      for (Map.Entry<String, String> value : values.entrySet()) {
        filled = filled.replace("{" + value.getKey() + "}", value.getValue());
      }
      return filled;
    }
  }

  /** Builds a {@link PrometheusMetrics}. Not thread-safe. */
  public static final class Builder {
    private @Nullable URI url;
    private @Nullable String namespace;
    private ServiceResolver services = ServiceResolver.sameName();
    private Queries queries = Queries.istio();
    private @Nullable HttpClient http;
    private Duration timeout = Duration.ofSeconds(10);

    private Builder() {}

    /** Where Prometheus answers, such as {@code http://prometheus.istio-system:9090}. Required. */
    public Builder url(URI url) {
      this.url = requireNonNull(url, "url");
      return this;
    }

    /**
     * The namespace of the targets' Services. Required by queries that name {@code {namespace}}.
     */
    public Builder namespace(String namespace) {
      this.namespace = requireNonNull(namespace, "namespace");
      return this;
    }

    /** The Service of each target, as the routing backend names it. Default: named after it. */
    public Builder serviceResolver(ServiceResolver services) {
      this.services = requireNonNull(services, "services");
      return this;
    }

    /** The PromQL behind the figures. Default: {@link Queries#istio()}. */
    public Builder queries(Queries queries) {
      this.queries = requireNonNull(queries, "queries");
      return this;
    }

    /** The HTTP client (proxy, TLS, authentication). Default: the JDK's, with its defaults. */
    public Builder httpClient(HttpClient http) {
      this.http = requireNonNull(http, "http");
      return this;
    }

    /** How long one query may take. Default: 10 s. */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, got " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Builds the source; nothing is asked yet.
     *
     * @throws IllegalStateException if the URL is missing, or the namespace that the queries name
     */
    public PrometheusMetrics build() {
      return new PrometheusMetrics(this);
    }
  }
}
