package dev.splitter.local;

import static java.util.Objects.requireNonNull;

import dev.splitter.local.internal.JsonPointers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * How the local gateway compares a shadow's answers with the live target's answers to the same
 * requests. Immutable and thread-safe.
 *
 * <pre>{@code
 * ShadowComparison comparison = ShadowComparison.builder()
 *     .ignore("/request_id", "/debug/*")                // JSON Pointers; * is any key or index
 *     .absoluteTolerance(1e-6)                           // numbers this close are equal...
 *     .relativeTolerance(1e-4)                           // ...or this close, relatively
 *     .noiseSample(0.05)                                 // 5 % sent twice to the live target
 *     .build();
 * LocalCluster.builder().shadowComparison(comparison).start();
 * }</pre>
 *
 * <p>Two answers agree when their status classes (2XX, 4XX, …) are the same and their bodies are
 * equal: JSON bodies (a JSON content type, or a body starting with <code>{</code> or {@code [}) are
 * compared as trees (object keys in any order, arrays in order, numbers within the tolerances,
 * ignored paths skipped); other bodies byte for byte, or by a {@link BodyComparator} given here. A
 * shadow that does not answer (refused, reset, timed out) never agrees. Comparison happens on a
 * thread of its own, after both answers are whole: the caller never waits for it.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class ShadowComparison {
  /** Default: on, exact up to a relative 1e-9, no ignored paths, bodies up to 256 KiB. */
  public static final ShadowComparison DEFAULT = builder().build();

  private final boolean enabled;
  private final double absoluteTolerance;
  private final double relativeTolerance;
  private final List<String> ignored;
  private final int maxBodyBytes;
  private final double noiseSample;
  private final @Nullable BodyComparator comparator;

  private ShadowComparison(Builder builder) {
    this.enabled = builder.enabled;
    this.absoluteTolerance = builder.absoluteTolerance;
    this.relativeTolerance = builder.relativeTolerance;
    this.ignored = List.copyOf(builder.ignored);
    this.maxBodyBytes = builder.maxBodyBytes;
    this.noiseSample = builder.noiseSample;
    this.comparator = builder.comparator;
  }

  /** No comparison: the shadow's answers are read and dropped, as Istio and ALB do. */
  public static ShadowComparison off() {
    return builder().enabled(false).build();
  }

  /** A builder starting from {@link #DEFAULT}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.enabled = enabled;
    builder.absoluteTolerance = absoluteTolerance;
    builder.relativeTolerance = relativeTolerance;
    builder.ignored.addAll(ignored);
    builder.maxBodyBytes = maxBodyBytes;
    builder.noiseSample = noiseSample;
    builder.comparator = comparator;
    return builder;
  }

  public boolean enabled() {
    return enabled;
  }

  public double absoluteTolerance() {
    return absoluteTolerance;
  }

  public double relativeTolerance() {
    return relativeTolerance;
  }

  /** The JSON Pointers whose values (and everything under them) are not compared. */
  public List<String> ignored() {
    return ignored;
  }

  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  public double noiseSample() {
    return noiseSample;
  }

  /** The comparator for bodies, when one replaces the JSON and byte comparisons. */
  public Optional<BodyComparator> comparator() {
    return Optional.ofNullable(comparator);
  }

  @Override
  public String toString() {
    return enabled
        ? "ShadowComparison[absoluteTolerance="
            + absoluteTolerance
            + ", relativeTolerance="
            + relativeTolerance
            + ", ignored="
            + ignored
            + ", maxBodyBytes="
            + maxBodyBytes
            + ", noiseSample="
            + noiseSample
            + (comparator != null ? ", comparator=" + comparator : "")
            + "]"
        : "ShadowComparison[off]";
  }

  /**
   * Compares two bodies in place of the gateway's JSON and byte comparisons: for an encoding it
   * does not know (protobuf, images) or a notion of "the same answer" of the model's own. Called on
   * the comparison thread, one pair at a time; must not block.
   */
  @FunctionalInterface
  public interface BodyComparator {
    /**
     * Where two bodies differ.
     *
     * @param live the live target's body, whole
     * @param shadow the shadow's body, whole
     * @return the places they differ, named as the user likes (JSON Pointers read best in {@code
     *     get}); empty when they agree
     */
    List<String> differences(byte[] live, byte[] shadow);
  }

  /** Builds a {@link ShadowComparison}. Not thread-safe. */
  public static final class Builder {
    private boolean enabled = true;
    private double absoluteTolerance;
    private double relativeTolerance = 1e-9;
    private final List<String> ignored = new ArrayList<>();
    private int maxBodyBytes = 256 * 1024;
    private double noiseSample;
    private @Nullable BodyComparator comparator;

    private Builder() {}

    /** Whether the gateway compares the answers at all. Default: yes. */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /** Two numbers at most this far apart are equal. Default 0. */
    public Builder absoluteTolerance(double tolerance) {
      this.absoluteTolerance = tolerance(tolerance, "absoluteTolerance");
      return this;
    }

    /**
     * Two numbers at most this far apart relative to the larger one's magnitude are equal (0.01:
     * within 1 %). Default 1e-9, to forgive a float printed two ways.
     */
    public Builder relativeTolerance(double tolerance) {
      this.relativeTolerance = tolerance(tolerance, "relativeTolerance");
      return this;
    }

    /**
     * Adds JSON Pointers (RFC 6901) not to compare, with everything under them: a timestamp, a
     * request id. A segment {@code *} matches any key or array index: <code>/items/&#42;/id</code>.
     *
     * @throws IllegalArgumentException if one is not a JSON Pointer (empty, or not starting with
     *     {@code /})
     */
    public Builder ignore(String... pointers) {
      for (String pointer : pointers) {
        JsonPointers.parse(requireNonNull(pointer, "pointer"));
        ignored.add(pointer);
      }
      return this;
    }

    /**
     * The largest body compared, each side, in bytes; a pair with a larger one is counted as not
     * compared. Default 256 KiB; at most 64 MiB.
     */
    public Builder maxBodyBytes(int maxBodyBytes) {
      if (maxBodyBytes < 0 || maxBodyBytes > 64 * 1024 * 1024) {
        throw new IllegalArgumentException("maxBodyBytes must be 0..67108864, got " + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /**
     * The share of mirrored requests, 0 to 1, also sent a second time to the live target, so that
     * fields where the live model differs from itself (a timestamp, a sampled answer) are found and
     * reported as noise rather than as the shadow's disagreement (Twitter Diffy's idea). The second
     * copy adds that share of load on the live target, and its answer is not counted in its
     * figures. Default 0 (off).
     */
    public Builder noiseSample(double share) {
      if (!(share >= 0 && share <= 1)) {
        throw new IllegalArgumentException("noiseSample must be 0..1, got " + share);
      }
      this.noiseSample = share;
      return this;
    }

    /** Compares bodies with this instead of as JSON or bytes. Default: none. */
    public Builder comparator(BodyComparator comparator) {
      this.comparator = requireNonNull(comparator, "comparator");
      return this;
    }

    public ShadowComparison build() {
      return new ShadowComparison(this);
    }

    private static double tolerance(double value, String name) {
      if (!(value >= 0 && Double.isFinite(value))) {
        throw new IllegalArgumentException(name + " must be 0 or more, got " + value);
      }
      return value;
    }
  }
}
