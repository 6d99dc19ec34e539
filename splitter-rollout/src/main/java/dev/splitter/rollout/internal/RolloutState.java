package dev.splitter.rollout.internal;

import static java.util.Objects.requireNonNull;

import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.rollout.Gate;
import dev.splitter.rollout.RolloutSpec;
import dev.splitter.spi.Annotations;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A rollout in progress as its routing object keeps it: one annotation of at most 256 characters,
 * which every backend can store (an AWS tag is the narrowest). It holds everything {@code resume}
 * and {@code abort} need: the two targets and their weights before the rollout, the steps, the step
 * reached, and the gates.
 *
 * <pre>
 * v1 run n=4f0c9a1e b=my-api c=my-api-v2 wb=80 wc=- s=5/25/50/100 k=1 i=PT5M g=e:0.01/l:1.2 m=200 x=3 r=12000000
 * </pre>
 *
 * <p>With sequential gates ({@code d:0.005} for error-rate-vs-baseline, {@code p95:1.2} for
 * latency-vs-baseline at p95) it also keeps their confidence, how often they look and when the
 * rollout's first step started, from which they count: {@code cf=0.95 ce=PT30S t=1796385600}; a
 * state without them has the defaults (and they count from the step a resumed run starts at).
 *
 * @param id this rollout's own, random, so that two rollouts of the same candidate with the same
 *     steps never take each other's state for their own
 * @param rollingBack whether the rollout failed and is restoring the weights from before
 * @param baselineWeight the baseline's weight before the rollout
 * @param candidateWeight the candidate's weight before the rollout; null if it was not a target
 * @param steps the candidate's percentage of the pair's weight at each step
 * @param step the step reached, from 0
 * @param referenceLatency the baseline's latest measured average, for a step where it has none
 * @param started when the rollout's first step was written; null before, or from a state that did
 *     not keep it
 */
@API(status = API.Status.INTERNAL)
public record RolloutState(
    String id,
    boolean rollingBack,
    String baseline,
    String candidate,
    int baselineWeight,
    @Nullable Integer candidateWeight,
    List<Integer> steps,
    int step,
    Duration interval,
    List<Gate> gates,
    long minRequests,
    int maxInconclusive,
    @Nullable Duration referenceLatency,
    double confidence,
    Duration checkEvery,
    @Nullable Instant started) {

  /** The annotation key. */
  public static final String KEY = "rollout";

  private static final String VERSION = "v1";

  /** The shadow step's mirror: a copy of every request, so that its comparisons come soonest. */
  static final int SHADOW_MIRRORS = 100;

  public RolloutState {
    requireNonNull(id, "id");
    requireNonNull(baseline, "baseline");
    requireNonNull(candidate, "candidate");
    steps = List.copyOf(steps);
    gates = List.copyOf(gates);
  }

  /**
   * A new rollout's state at its first step, with a new random id.
   *
   * @param baseline the baseline the rollout resolved
   * @param candidateWeight the candidate's weight before it; null if it is not a target yet
   */
  public static RolloutState start(
      RolloutSpec spec, String baseline, int baselineWeight, @Nullable Integer candidateWeight) {
    return new RolloutState(
        String.format("%08x", ThreadLocalRandom.current().nextInt()),
        false,
        baseline,
        spec.candidate(),
        baselineWeight,
        candidateWeight,
        spec.steps(),
        0,
        spec.interval(),
        spec.gates(),
        spec.minRequests(),
        spec.maxInconclusive(),
        null,
        spec.confidence(),
        spec.checkEvery(),
        null);
  }

  /** What the rollout does, as a spec of {@code splitter} with its resolved baseline. */
  public RolloutSpec spec(String splitter) {
    return new RolloutSpec(
        splitter,
        baseline,
        candidate,
        steps,
        interval,
        gates,
        minRequests,
        maxInconclusive,
        confidence,
        checkEvery);
  }

  /** The weights the baseline and candidate share. */
  public int pool() {
    return baselineWeight + (candidateWeight == null ? 0 : candidateWeight);
  }

  /** The candidate's weight at step {@code index}: its percentage of the pool. */
  public int candidateWeightAt(int index) {
    return pool() * steps.get(index) / 100;
  }

  /**
   * The splitter with the baseline and candidate at step {@code index}, every other target as it is
   * in {@code current}; the candidate is added after the others if it is not yet a target.
   */
  public TrafficSplitter specAt(TrafficSplitter current, int index) {
    if (steps.get(index) == RolloutSpec.SHADOW_STEP) {
      return withPair(current, pool(), SHADOW_MIRRORS, true);
    }
    int candidateAt = candidateWeightAt(index);
    return withPair(current, pool() - candidateAt, candidateAt, false);
  }

  /** The splitter with the baseline and candidate as they were before the rollout. */
  public TrafficSplitter restored(TrafficSplitter current) {
    return withPair(current, baselineWeight, candidateWeight, false);
  }

  private TrafficSplitter withPair(
      TrafficSplitter current,
      int baselineAt,
      @Nullable Integer candidateAt,
      boolean candidateShadows) {
    List<TargetApi> apis = new ArrayList<>();
    boolean candidateSeen = false;
    for (TargetApi api : current.apis()) {
      if (api.name().equals(baseline)) {
        apis.add(new TargetApi(baseline, baselineAt, false));
      } else if (api.name().equals(candidate)) {
        candidateSeen = true;
        if (candidateAt != null) {
          apis.add(new TargetApi(candidate, candidateAt, candidateShadows));
        }
      } else {
        apis.add(api);
      }
    }
    if (!candidateSeen && candidateAt != null) {
      apis.add(new TargetApi(candidate, candidateAt, candidateShadows));
    }
    return new TrafficSplitter(current.name(), current.networking(), apis);
  }

  /** This state at step {@code index}, started at {@code now} if it had not started yet. */
  public RolloutState atStep(int index, Instant now) {
    return copy(
        rollingBack,
        index,
        referenceLatency,
        started == null ? now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) : started);
  }

  /** This state with the baseline's latest average latency, when there is one. */
  public RolloutState withReference(@Nullable Duration latency) {
    return copy(rollingBack, step, latency == null ? referenceLatency : latency, started);
  }

  /** This state, marked as rolling back. */
  public RolloutState toRollBack() {
    return copy(true, step, referenceLatency, started);
  }

  private RolloutState copy(
      boolean back, int at, @Nullable Duration reference, @Nullable Instant since) {
    return new RolloutState(
        id,
        back,
        baseline,
        candidate,
        baselineWeight,
        candidateWeight,
        steps,
        at,
        interval,
        gates,
        minRequests,
        maxInconclusive,
        reference,
        confidence,
        checkEvery,
        since);
  }

  /**
   * The annotation's text.
   *
   * @throws IllegalArgumentException if it does not fit an annotation (names too long, too many
   *     steps)
   */
  public String encode() {
    String text =
        String.join(
            " ",
            VERSION,
            rollingBack ? "back" : "run",
            "n=" + id,
            "b=" + baseline,
            "c=" + candidate,
            "wb=" + baselineWeight,
            "wc=" + (candidateWeight == null ? "-" : candidateWeight.toString()),
            "s=" + steps.stream().map(String::valueOf).collect(Collectors.joining("/")),
            "k=" + step,
            "i=" + interval,
            "g="
                + (gates.isEmpty()
                    ? "-"
                    : gates.stream()
                        .map(gate -> code(gate) + ":" + gate.threshold())
                        .collect(Collectors.joining("/"))),
            "m=" + minRequests,
            "x=" + maxInconclusive,
            "r=" + (referenceLatency == null ? "-" : Long.toString(referenceLatency.toNanos())));
    if (gates.stream().anyMatch(Gate::sequential)) {
      text += " cf=" + confidence + " ce=" + checkEvery;
      if (started != null) {
        text += " t=" + started.getEpochSecond();
      }
    }
    Annotations.check(KEY, text);
    return text;
  }

  /**
   * Reads what {@link #encode} wrote.
   *
   * @return empty if the text is not a rollout state this version can read (edited by hand, or
   *     written by a newer splitter)
   */
  public static Optional<RolloutState> decode(String text) {
    String[] words = text.trim().split(" ", -1);
    if (words.length < 2 || !words[0].equals(VERSION)) {
      return Optional.empty();
    }
    Map<String, String> fields = new HashMap<>();
    for (int i = 2; i < words.length; i++) {
      int equals = words[i].indexOf('=');
      if (equals > 0) {
        fields.put(words[i].substring(0, equals), words[i].substring(equals + 1));
      }
    }
    try {
      String wc = field(fields, "wc");
      String reference = field(fields, "r");
      String gateText = field(fields, "g");
      Duration interval = Duration.parse(field(fields, "i"));
      return Optional.of(
          new RolloutState(
              field(fields, "n"),
              words[1].equals("back"),
              field(fields, "b"),
              field(fields, "c"),
              Integer.parseInt(field(fields, "wb")),
              wc.equals("-") ? null : Integer.valueOf(wc),
              Arrays.stream(field(fields, "s").split("/", -1)).map(Integer::valueOf).toList(),
              Integer.parseInt(field(fields, "k")),
              interval,
              gateText.equals("-")
                  ? List.of()
                  : Arrays.stream(gateText.split("/", -1)).map(RolloutState::gate).toList(),
              Long.parseLong(field(fields, "m")),
              Integer.parseInt(field(fields, "x")),
              reference.equals("-") ? null : Duration.ofNanos(Long.parseLong(reference)),
              fields.containsKey("cf")
                  ? Double.parseDouble(field(fields, "cf"))
                  : RolloutSpec.DEFAULT_CONFIDENCE,
              fields.containsKey("ce") ? Duration.parse(field(fields, "ce")) : interval,
              fields.containsKey("t")
                  ? Instant.ofEpochSecond(Long.parseLong(field(fields, "t")))
                  : null));
    } catch (IllegalArgumentException | DateTimeParseException | IndexOutOfBoundsException e) {
      return Optional.empty();
    }
  }

  private static String field(Map<String, String> fields, String key) {
    String value = fields.get(key);
    if (value == null) {
      throw new IllegalArgumentException("no " + key);
    }
    return value;
  }

  private static String code(Gate gate) {
    return switch (gate.kind()) {
      case MAX_ERROR_RATE -> "e";
      case MAX_LATENCY_RATIO -> "l";
      case ERROR_RATE_VS_BASELINE -> "d";
      case MIN_SHADOW_AGREEMENT -> "a";
      case LATENCY_VS_BASELINE -> Gate.percentile(gate.quantile());
    };
  }

  private static Gate gate(String text) {
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(text);
    }
    double threshold = Double.parseDouble(text.substring(colon + 1));
    String code = text.substring(0, colon);
    if (code.startsWith("p")) {
      return Gate.latencyVsBaseline(Gate.rankOf(code), threshold);
    }
    return switch (code) {
      case "e" -> Gate.maxErrorRate(threshold);
      case "l" -> Gate.maxLatencyRatio(threshold);
      case "d" -> Gate.errorRateVsBaseline(threshold);
      case "a" -> Gate.minShadowAgreement(threshold);
      default -> throw new IllegalArgumentException(text);
    };
  }
}
