package dev.splitter.model;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Which target a keyed request reaches: the splitter's {@value #BUCKETS} buckets, each owned by one
 * target that receives live traffic, in shares equal to the weights. A key (a user id) falls in
 * bucket {@link #bucket bucket(splitter, key)}, the same on every machine and in every language;
 * the bucket's owner is the key's target. Immutable and thread-safe; depends on nothing but the
 * JDK.
 *
 * <p>An assignment is kept from one deploy to the next: {@link #next} moves only the buckets that
 * must move, and only to targets that gained weight, so a user stays on their model unless its
 * share shrank. The layout therefore depends on the weights' history, not only on the current
 * weights; backends store it with the routing object ({@link #encode}), and {@link #of} gives the
 * layout of a splitter deployed afresh. Join outcomes to variants from your own logs with the
 * layout {@code get} prints:
 *
 * <pre>{@code
 * Assignment assignment = Assignment.decode("traffic-splitter", "my-api=0-4999 my-api-v2=5000-9999");
 * String variant = assignment.target("user-42");
 * }</pre>
 *
 * <p>The bucket of a key is {@code murmur3_x86_32(utf8(splitter + "/" + key), seed 0)}, taken as an
 * unsigned number, modulo {@value #BUCKETS}: in Python, {@code mmh3.hash(f"{splitter}/{key}",
 * signed=False) % 10000}.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class Assignment {
  /** How many buckets a splitter's keys are hashed into: one per hundredth of a percent. */
  public static final int BUCKETS = 10_000;

  private final String splitter;
  // What a key's bytes are appended to before hashing: the name and a slash.
  private final byte[] salt;
  // Runs of consecutive buckets with one owner: run i covers [starts[i], starts[i + 1]).
  private final int[] starts;
  private final String[] owners;

  private Assignment(String splitter, String[] ownerOfBucket) {
    this.splitter = splitter;
    this.salt = saltOf(splitter);
    List<Integer> runStarts = new ArrayList<>();
    List<String> runOwners = new ArrayList<>();
    for (int bucket = 0; bucket < BUCKETS; bucket++) {
      if (bucket == 0 || !ownerOfBucket[bucket].equals(ownerOfBucket[bucket - 1])) {
        runStarts.add(bucket);
        runOwners.add(ownerOfBucket[bucket]);
      }
    }
    this.starts = runStarts.stream().mapToInt(Integer::intValue).toArray();
    this.owners = runOwners.toArray(new String[0]);
  }

  /**
   * The layout of {@code splitter} deployed afresh: its live targets' buckets in file order, the
   * first target's from bucket 0.
   *
   * @throws IllegalArgumentException if no live target has weight
   */
  public static Assignment of(TrafficSplitter splitter) {
    Map<String, Integer> quota = quotas(splitter);
    String[] owner = new String[BUCKETS];
    int next = 0;
    for (Map.Entry<String, Integer> share : quota.entrySet()) {
      Arrays.fill(owner, next, next + share.getValue(), share.getKey());
      next += share.getValue();
    }
    return new Assignment(splitter.name(), owner);
  }

  /**
   * The layout for {@code splitter}'s weights that moves the fewest keys from this one: a target
   * that kept its weight keeps every bucket; one that lost weight gives up only what it lost (the
   * buckets nearest to a gaining target's, so that runs stay whole); every bucket given up goes to
   * a target that gained. With two live targets the result is always {@link #of}'s layout.
   *
   * @param splitter the splitter as it is being deployed, of the same name
   * @throws IllegalArgumentException if the name differs, or no live target has weight
   */
  public Assignment next(TrafficSplitter splitter) {
    if (!splitter.name().equals(this.splitter)) {
      throw new IllegalArgumentException(
          "the assignment of " + this.splitter + " cannot carry over to " + splitter.name());
    }
    Map<String, Integer> quota = quotas(splitter);
    Map<String, Integer> have = shares();
    if (quota.equals(have)) {
      return this;
    }
    String[] owner = expand();
    List<String> order = new ArrayList<>(quota.keySet());
    List<String> gainers =
        order.stream().filter(t -> quota.getOrDefault(t, 0) > have.getOrDefault(t, 0)).toList();
    int[] distance = distanceToAnyOf(owner, gainers);
    List<Integer> freed = new ArrayList<>();
    for (Map.Entry<String, Integer> held : have.entrySet()) {
      String loser = held.getKey();
      int surplus = held.getValue() - quota.getOrDefault(loser, 0);
      if (surplus > 0) {
        freed.addAll(release(owner, loser, surplus, distance, towardsEnd(order, loser, gainers)));
      }
    }
    freed.sort(Comparator.naturalOrder());
    int taken = 0;
    for (String gainer : gainers) {
      int need = quota.getOrDefault(gainer, 0) - have.getOrDefault(gainer, 0);
      for (int i = 0; i < need; i++) {
        owner[freed.get(taken++)] = gainer;
      }
    }
    return new Assignment(this.splitter, owner);
  }

  /**
   * The layout for {@code splitter} after {@code previous}: {@code previous.next(splitter)}, or
   * {@link #of} when there was none (the splitter is new, or had no layout before).
   */
  public static Assignment following(@Nullable Assignment previous, TrafficSplitter splitter) {
    return previous == null ? of(splitter) : previous.next(splitter);
  }

  /**
   * Reads a layout {@link #encode} wrote.
   *
   * @param splitter the splitter's name, which salts the hash
   * @throws IllegalArgumentException if the text is not a layout of every bucket, each owned once
   */
  public static Assignment decode(String splitter, String text) {
    requireNonNull(splitter, "splitter");
    String[] owner = new String[BUCKETS];
    for (String part : text.trim().split(" +")) {
      int equals = part.lastIndexOf('=');
      if (equals <= 0) {
        throw malformed(text, "'" + part + "' is not target=FROM-TO,...");
      }
      String target = part.substring(0, equals);
      for (String range : part.substring(equals + 1).split(",", -1)) {
        int[] bounds = range(text, range);
        for (int bucket = bounds[0]; bucket <= bounds[1]; bucket++) {
          if (owner[bucket] != null) {
            throw malformed(text, "bucket " + bucket + " is owned twice");
          }
          owner[bucket] = target;
        }
      }
    }
    for (int bucket = 0; bucket < BUCKETS; bucket++) {
      if (owner[bucket] == null) {
        throw malformed(text, "bucket " + bucket + " has no owner");
      }
    }
    return new Assignment(splitter, owner);
  }

  /**
   * The layout as text, each target with its bucket ranges, in the order their first buckets come:
   * {@code my-api=0-7499,8000-9999 my-api-v2=7500-7999}.
   */
  public String encode() {
    Map<String, StringBuilder> ranges = new LinkedHashMap<>();
    for (int i = 0; i < starts.length; i++) {
      StringBuilder of = ranges.computeIfAbsent(owners[i], t -> new StringBuilder());
      of.append(of.length() == 0 ? "" : ",").append(starts[i]).append('-').append(end(i) - 1);
    }
    StringBuilder text = new StringBuilder();
    ranges.forEach(
        (t, r) -> text.append(text.length() == 0 ? "" : " ").append(t).append('=').append(r));
    return text.toString();
  }

  /** The splitter whose name salts the hash. */
  public String splitter() {
    return splitter;
  }

  /** The target a request carrying {@code key} reaches (while no target is ejected). */
  public String target(String key) {
    return ownerOf(bucket(splitter, key));
  }

  /** The bucket of a key given as bytes in this splitter: as {@link #bucket(String, byte[])}. */
  public int bucketOf(byte[] key) {
    return bucketOf(salt, key);
  }

  /** The target that owns a bucket. */
  public String ownerOf(int bucket) {
    if (bucket < 0 || bucket >= BUCKETS) {
      throw new IllegalArgumentException("a bucket is 0 to " + (BUCKETS - 1) + ", got " + bucket);
    }
    int run = Arrays.binarySearch(starts, bucket);
    return owners[run >= 0 ? run : -run - 2];
  }

  /** How many buckets each target owns, in the order their first buckets come. */
  public Map<String, Integer> shares() {
    Map<String, Integer> shares = new LinkedHashMap<>();
    for (int i = 0; i < starts.length; i++) {
      shares.merge(owners[i], end(i) - starts[i], Integer::sum);
    }
    return shares;
  }

  /** The ranges of buckets a target owns, each {@code [first, last]}, in bucket order. */
  public List<int[]> ranges(String target) {
    List<int[]> ranges = new ArrayList<>();
    for (int i = 0; i < starts.length; i++) {
      if (owners[i].equals(target)) {
        ranges.add(new int[] {starts[i], end(i) - 1});
      }
    }
    return ranges;
  }

  /**
   * The buckets whose owner differs in {@code after}, counted by their owner there: where a change
   * of weights moves keys, by target, in target order.
   */
  public Map<String, Integer> movedTo(Assignment after) {
    Map<String, Integer> moved = new TreeMap<>();
    for (int bucket = 0; bucket < BUCKETS; bucket++) {
      String to = after.ownerOf(bucket);
      if (!ownerOf(bucket).equals(to)) {
        moved.merge(to, 1, Integer::sum);
      }
    }
    return moved;
  }

  /** The fraction of keys whose target differs in {@code after}: what a change of weights moves. */
  public double movedFraction(Assignment after) {
    return movedTo(after).values().stream().mapToInt(Integer::intValue).sum() / (double) BUCKETS;
  }

  /**
   * The bucket of {@code key} in {@code splitter}: {@code murmur3_x86_32} of the UTF-8 bytes of
   * {@code splitter + "/" + key}, seed 0, unsigned, modulo {@value #BUCKETS}.
   */
  public static int bucket(String splitter, String key) {
    return bucket(splitter, key.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The bucket of a key given as bytes (a header's raw value): as {@link #bucket(String, String)}.
   */
  public static int bucket(String splitter, byte[] key) {
    return bucketOf(saltOf(splitter), key);
  }

  private static byte[] saltOf(String splitter) {
    return (splitter + "/").getBytes(StandardCharsets.UTF_8);
  }

  private static int bucketOf(byte[] salt, byte[] key) {
    byte[] salted = Arrays.copyOf(salt, salt.length + key.length);
    System.arraycopy(key, 0, salted, salt.length, key.length);
    return (int) (Integer.toUnsignedLong(Murmur3.hash32(salted)) % BUCKETS);
  }

  /** Each live target's buckets for its weight, in file order; targets with none left out. */
  private static Map<String, Integer> quotas(TrafficSplitter splitter) {
    List<TargetApi> live = splitter.liveTargets();
    long total = live.stream().mapToLong(TargetApi::weight).sum();
    if (total <= 0 || live.stream().anyMatch(api -> api.weight() < 0)) {
      throw new IllegalArgumentException(
          "splitter " + splitter.name() + " has no live target with weight to assign keys to");
    }
    // Largest remainder: exact (weight x 100) when the weights sum to 100, as validation requires.
    Map<String, Integer> quota = new LinkedHashMap<>();
    long[] remainders = new long[live.size()];
    int given = 0;
    for (int i = 0; i < live.size(); i++) {
      long scaled = (long) live.get(i).weight() * BUCKETS;
      quota.merge(live.get(i).name(), (int) (scaled / total), Integer::sum);
      remainders[i] = scaled % total;
      given += (int) (scaled / total);
    }
    for (int left = BUCKETS - given; left > 0; left--) {
      int largest = 0;
      for (int i = 1; i < remainders.length; i++) {
        if (remainders[i] > remainders[largest]) {
          largest = i;
        }
      }
      remainders[largest] = -1;
      quota.merge(live.get(largest).name(), 1, Integer::sum);
    }
    quota.values().removeIf(buckets -> buckets == 0);
    return quota;
  }

  /** For every bucket, how far it is from the nearest bucket a gainer owns; MAX_VALUE if none. */
  private static int[] distanceToAnyOf(String[] owner, List<String> gainers) {
    int[] distance = new int[BUCKETS];
    int last = -1;
    for (int bucket = 0; bucket < BUCKETS; bucket++) {
      if (gainers.contains(owner[bucket])) {
        last = bucket;
      }
      distance[bucket] = last < 0 ? Integer.MAX_VALUE : bucket - last;
    }
    last = -1;
    for (int bucket = BUCKETS - 1; bucket >= 0; bucket--) {
      if (gainers.contains(owner[bucket])) {
        last = bucket;
      }
      if (last >= 0) {
        distance[bucket] = Math.min(distance[bucket], last - bucket);
      }
    }
    return distance;
  }

  /**
   * Whether a loser gives up its highest buckets first among those equally near a gainer: yes when
   * a gainer comes after it in file order (where {@link #of} would put that gainer's buckets), or
   * when it is no longer a target.
   */
  private static boolean towardsEnd(List<String> order, String loser, List<String> gainers) {
    int at = order.indexOf(loser);
    return at < 0 || gainers.stream().anyMatch(gainer -> order.indexOf(gainer) > at);
  }

  /** The {@code count} buckets {@code loser} gives up: nearest a gainer first. */
  private static List<Integer> release(
      String[] owner, String loser, int count, int[] distance, boolean towardsEnd) {
    List<Integer> held = new ArrayList<>();
    for (int bucket = 0; bucket < BUCKETS; bucket++) {
      if (owner[bucket].equals(loser)) {
        held.add(bucket);
      }
    }
    Comparator<Integer> nearest = Comparator.comparingInt(bucket -> distance[bucket]);
    held.sort(
        nearest.thenComparing(
            towardsEnd ? Comparator.<Integer>reverseOrder() : Comparator.<Integer>naturalOrder()));
    return held.subList(0, count);
  }

  private String[] expand() {
    String[] owner = new String[BUCKETS];
    for (int i = 0; i < starts.length; i++) {
      Arrays.fill(owner, starts[i], end(i), owners[i]);
    }
    return owner;
  }

  private int end(int run) {
    return run + 1 < starts.length ? starts[run + 1] : BUCKETS;
  }

  private static int[] range(String text, String range) {
    int dash = range.indexOf('-');
    try {
      int first = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
      int last = dash < 0 ? first : Integer.parseInt(range.substring(dash + 1));
      if (first < 0 || last < first || last >= BUCKETS) {
        throw malformed(text, "range " + range + " is not within 0-" + (BUCKETS - 1));
      }
      return new int[] {first, last};
    } catch (NumberFormatException e) {
      throw malformed(text, "range '" + range + "' is not FROM-TO");
    }
  }

  private static IllegalArgumentException malformed(String text, String problem) {
    String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
    return new IllegalArgumentException("not a bucket layout (" + problem + "): " + shown);
  }

  /** Equal when they salt with the same name and every bucket has the same owner. */
  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Assignment that
        && splitter.equals(that.splitter)
        && Arrays.equals(starts, that.starts)
        && Arrays.equals(owners, that.owners);
  }

  @Override
  public int hashCode() {
    return splitter.hashCode() * 31 + Arrays.hashCode(starts) * 17 + Arrays.hashCode(owners);
  }

  /** The splitter's name and its {@link #encode encoded} layout. */
  @Override
  public String toString() {
    return splitter + ": " + encode();
  }
}
