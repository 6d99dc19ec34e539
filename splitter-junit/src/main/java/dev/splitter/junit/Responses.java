package dev.splitter.junit;

import static java.util.Objects.requireNonNull;

import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apiguardian.api.API;

/**
 * Who answered the requests sent to a splitter: a count per API (by the gateway's {@code
 * x-splitter-api} header) and per HTTP status. What {@link SplitAssert} checks.
 *
 * @param splitter the splitter's spec when the requests were sent
 * @param byApi answers per API; the gateway's own errors (no API answered) are not in it
 * @param byStatus answers per HTTP status, the gateway's own errors included
 */
@API(status = API.Status.STABLE)
public record Responses(
    TrafficSplitter splitter, Map<String, Long> byApi, Map<Integer, Long> byStatus) {
  /** The header the gateway puts on every answer a target gave. */
  static final String API_HEADER = "x-splitter-api";

  public Responses {
    requireNonNull(splitter, "splitter");
    byApi = Map.copyOf(byApi);
    byStatus = Map.copyOf(byStatus);
  }

  /** How many answers this API gave. */
  public long count(String api) {
    return byApi.getOrDefault(api, 0L);
  }

  /** How many answers came from any API. */
  public long answered() {
    return byApi.values().stream().mapToLong(Long::longValue).sum();
  }

  /** How many requests were sent. */
  public long total() {
    return byStatus.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The non-shadow targets, in the spec's order: those a request can be routed to. */
  public List<TargetApi> routedTargets() {
    return splitter.apis().stream().filter(api -> !api.shadow()).toList();
  }

  /** Counts answers as they arrive, from any thread. */
  static final class Counter {
    private final TrafficSplitter splitter;
    private final Map<String, LongAdder> byApi = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();

    Counter(TrafficSplitter splitter) {
      this.splitter = splitter;
    }

    void add(HttpResponse<?> response) {
      byStatus.computeIfAbsent(response.statusCode(), key -> new LongAdder()).increment();
      response
          .headers()
          .firstValue(API_HEADER)
          .ifPresent(api -> byApi.computeIfAbsent(api, key -> new LongAdder()).increment());
    }

    Responses responses() {
      return new Responses(splitter, sums(byApi), sums(byStatus));
    }

    private static <K extends Comparable<K>> Map<K, Long> sums(Map<K, LongAdder> counts) {
      Map<K, Long> sums = new TreeMap<>();
      counts.forEach((key, count) -> sums.put(key, count.sum()));
      return sums;
    }
  }
}
