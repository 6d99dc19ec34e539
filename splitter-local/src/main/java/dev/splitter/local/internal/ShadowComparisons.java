package dev.splitter.local.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitter.local.ShadowComparison;
import dev.splitter.local.internal.JsonDiff.Difference;
import dev.splitter.local.internal.ShadowPair.Leg;
import dev.splitter.spi.ShadowDifference;
import dev.splitter.spi.ShadowReport;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's shadow comparisons: which splitters compare and how, the pairs waiting on the
 * comparison thread, each shadow's ledger since its route was written, and each splitter's recent
 * disagreements. Thread-safe.
 *
 * <p>Its cost is bounded: the comparison runs on one thread of its own, never on an event loop;
 * answer bodies are held only up to each comparison's size limit and, all pairs together, up to a
 * memory budget (a pair past either is counted as not compared); at most {@value #MAX_QUEUED} pairs
 * wait, and {@value #KEPT_DIFFERENCES} disagreements are kept per splitter, their texts cut to
 * {@value #TEXT_KEPT} characters.
 */
@API(status = API.Status.INTERNAL)
public final class ShadowComparisons implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShadowComparisons.class);
  static final int MAX_QUEUED = 4096;
  static final int KEPT_DIFFERENCES = 100;
  static final int TEXT_KEPT = 2048;

  /** A comparison's settings, with its ignored pointers parsed once. */
  record Settings(ShadowComparison comparison, JsonDiff diff) {
    static Settings of(ShadowComparison comparison) {
      return new Settings(
          comparison,
          new JsonDiff(
              comparison.absoluteTolerance(),
              comparison.relativeTolerance(),
              comparison.ignored()));
    }
  }

  /** A splitter's ledgers since its route was last written. */
  private record Generation(Instant since, Map<String, ShadowLedger> ledgers) {}

  private final Settings defaults;
  private final Map<String, Settings> bySplitter = new ConcurrentHashMap<>();
  private final long memoryBudget;
  private final AtomicLong held = new AtomicLong();
  private final AtomicInteger queued = new AtomicInteger();
  private final Clock clock;
  private final GatewayMeters meters;
  private final Map<String, Generation> generations = new ConcurrentHashMap<>();
  private final Map<String, Deque<ShadowDifference>> recent = new ConcurrentHashMap<>();
  private final ObjectMapper json =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread worker = new Thread(task, "splitter-shadow-compare");
            worker.setDaemon(true);
            return worker;
          });

  /**
   * @param defaults for every splitter without settings of its own
   * @param bySplitter settings by splitter name
   * @param memoryBudget the most answer bytes held at once, all pairs together
   * @param meters where comparisons are counted for the application's registry
   */
  public ShadowComparisons(
      ShadowComparison defaults,
      Map<String, ShadowComparison> bySplitter,
      long memoryBudget,
      GatewayMeters meters,
      Clock clock) {
    this.defaults = Settings.of(defaults);
    this.meters = meters;
    bySplitter.forEach((name, comparison) -> this.bySplitter.put(name, Settings.of(comparison)));
    this.memoryBudget = memoryBudget;
    this.clock = clock;
  }

  /** The pair for a mirrored request; null when the splitter's comparison is off. */
  @Nullable ShadowPair pair(
      String splitter,
      String liveApi,
      String shadowApi,
      String method,
      String uri,
      RandomGenerator draw) {
    Settings settings = settings(splitter);
    if (!settings.comparison().enabled()) {
      return null;
    }
    double noise = settings.comparison().noiseSample();
    boolean withNoise = noise > 0 && draw.nextDouble() < noise;
    ShadowLedger ledger = ledger(splitter, shadowApi);
    return new ShadowPair(
        this,
        new ShadowPair.Target(splitter, liveApi, shadowApi, ledger, settings),
        method,
        uri,
        withNoise);
  }

  /** The splitter's route was written: its shadows are counted afresh from {@code at}. */
  public void restart(String splitter, Instant at) {
    generations.put(splitter, new Generation(at, new ConcurrentHashMap<>()));
  }

  /** The splitter was deleted. */
  public void forget(String splitter) {
    generations.remove(splitter);
    recent.remove(splitter);
  }

  /** See {@link dev.splitter.spi.MetricsSource#shadowReport}. */
  public Optional<ShadowReport> report(String splitter, String shadowApi) {
    Generation generation = generations.get(splitter);
    if (generation == null || !settings(splitter).comparison().enabled()) {
      return Optional.empty();
    }
    ShadowLedger ledger = generation.ledgers().get(shadowApi);
    return Optional.of(
        (ledger != null ? ledger : new ShadowLedger(shadowApi, generation.since())).report());
  }

  /** See {@link dev.splitter.spi.MetricsSource#shadowDifferences}. */
  public List<ShadowDifference> differences(String splitter, int limit) {
    Deque<ShadowDifference> kept = recent.get(splitter);
    if (kept == null) {
      return List.of();
    }
    synchronized (kept) {
      return kept.stream().limit(limit).toList();
    }
  }

  /** Stops the comparison thread; pairs still waiting are dropped. */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  boolean reserve(long bytes) {
    if (held.addAndGet(bytes) <= memoryBudget) {
      return true;
    }
    held.addAndGet(-bytes);
    return false;
  }

  void unreserve(long bytes) {
    if (bytes > 0) {
      held.addAndGet(-bytes);
    }
  }

  /** Every leg of the pair has ended: compare it on the comparison thread, if it can take it. */
  void submit(ShadowPair pair) {
    if (queued.incrementAndGet() > MAX_QUEUED) {
      queued.decrementAndGet();
      notCompared(pair);
      pair.release();
      return;
    }
    try {
      thread.execute(() -> compareAndRelease(pair));
    } catch (RejectedExecutionException closed) {
      queued.decrementAndGet();
      pair.release();
    }
  }

  private void compareAndRelease(ShadowPair pair) {
    try {
      compare(pair);
    } catch (RuntimeException e) {
      // A comparator of the user's that throws: the pair is not compared; the gateway goes on.
      LOG.debug("shadow comparison of {} failed", pair.target.shadowApi(), e);
      notCompared(pair);
    } finally {
      pair.release();
      queued.decrementAndGet();
    }
  }

  private void compare(ShadowPair pair) {
    ShadowPair.Target target = pair.target;
    ShadowLedger ledger = target.ledger();
    Leg live = pair.live;
    Leg shadow = pair.shadow;
    if (!live.whole) {
      notCompared(pair); // the caller went away, or the live target failed: no model answer
      return;
    }
    boolean shadowFailed = !shadow.whole;
    boolean statusMatch = !shadowFailed && live.status / 100 == shadow.status / 100;
    if (statusMatch && !(live.comparable() && shadow.comparable())) {
      notCompared(pair);
      return;
    }
    List<Difference> differences =
        statusMatch ? differences(target.settings(), live, shadow) : List.of();
    Set<String> general = general(differences);
    ledger.compared(statusMatch, shadowFailed, general, live.nanos, shadow.nanos);
    meters.compared(
        target.splitter(),
        target.shadowApi(),
        !statusMatch ? "status_mismatch" : differences.isEmpty() ? "identical" : "differed");
    Leg noise = pair.noise;
    if (noise != null
        && noise.comparable()
        && live.comparable()
        && live.status / 100 == noise.status / 100) {
      ledger.noise(general(differences(target.settings(), live, noise)));
    }
    if (!statusMatch || (!differences.isEmpty() && !ledger.allNoise(general))) {
      keep(pair, statusMatch ? differences.stream().map(Difference::pointer).toList() : null);
    }
  }

  private void notCompared(ShadowPair pair) {
    pair.target.ledger().notCompared();
    meters.compared(pair.target.splitter(), pair.target.shadowApi(), "not_compared");
  }

  private List<Difference> differences(Settings settings, Leg live, Leg other) {
    byte[] a = live.body();
    byte[] b = other.body();
    Optional<ShadowComparison.BodyComparator> comparator = settings.comparison().comparator();
    if (comparator.isPresent()) {
      return comparator.get().differences(a, b).stream()
          .map(place -> new Difference(place, place))
          .toList();
    }
    if (Arrays.equals(a, b)) {
      return List.of();
    }
    if (isJson(live, a) && isJson(other, b)) {
      try {
        JsonNode liveTree = json.readTree(a);
        JsonNode otherTree = json.readTree(b);
        if (liveTree != null && otherTree != null) {
          return settings.diff().differences(liveTree, otherTree);
        }
      } catch (IOException notJson) {
        // compared as bytes below
      }
    }
    return List.of(new Difference("", ""));
  }

  private void keep(ShadowPair pair, @Nullable List<String> paths) {
    Leg live = pair.live;
    Leg shadow = pair.shadow;
    ShadowDifference difference =
        new ShadowDifference(
            clock.instant(),
            pair.target.liveApi(),
            pair.target.shadowApi(),
            pair.method,
            cut(pair.uri),
            cut(pair.requestText()),
            live.status,
            text(live),
            shadow.status,
            text(shadow),
            paths == null ? List.of("status") : paths,
            Duration.ofNanos(live.nanos),
            Duration.ofNanos(shadow.nanos));
    Deque<ShadowDifference> kept =
        recent.computeIfAbsent(pair.target.splitter(), name -> new ArrayDeque<>());
    synchronized (kept) {
      kept.addFirst(difference);
      while (kept.size() > KEPT_DIFFERENCES) {
        kept.removeLast();
      }
    }
  }

  private Settings settings(String splitter) {
    return bySplitter.getOrDefault(splitter, defaults);
  }

  private ShadowLedger ledger(String splitter, String shadowApi) {
    Generation generation =
        generations.computeIfAbsent(
            splitter, name -> new Generation(clock.instant(), new ConcurrentHashMap<>()));
    return generation
        .ledgers()
        .computeIfAbsent(shadowApi, api -> new ShadowLedger(api, generation.since()));
  }

  private static Set<String> general(List<Difference> differences) {
    Set<String> general = new LinkedHashSet<>();
    differences.forEach(difference -> general.add(difference.general()));
    return general;
  }

  private static boolean isJson(Leg leg, byte[] body) {
    String type = leg.contentType;
    if (type != null && type.toLowerCase(Locale.ROOT).contains("json")) {
      return true;
    }
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return b == '{' || b == '[';
      }
    }
    return false;
  }

  private static String text(Leg leg) {
    if (leg.tooLarge) {
      return "(over the comparison's size limit; not kept)";
    }
    if (leg.overBudget) {
      return "(over the comparison's memory budget; not kept)";
    }
    return cut(leg.text());
  }

  private static String cut(String text) {
    return text.length() <= TEXT_KEPT ? text : text.substring(0, TEXT_KEPT) + "…";
  }
}
