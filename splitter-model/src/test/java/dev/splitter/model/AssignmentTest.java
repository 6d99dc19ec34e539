package dev.splitter.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.codec.digest.MurmurHash3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AssignmentTest {

  private static TrafficSplitter split(String name, Object... targetsAndWeights) {
    TrafficSplitter.Builder builder = TrafficSplitter.builder().name(name);
    for (int i = 0; i < targetsAndWeights.length; i += 2) {
      builder.target((String) targetsAndWeights[i], (Integer) targetsAndWeights[i + 1]);
    }
    return builder.build();
  }

  @Test
  void theHashIsMurmur3AsCommonsCodecAndPythonsMmh3ComputeIt() {
    Random random = new Random(7);
    for (int i = 0; i < 100_000; i++) {
      byte[] data = new byte[random.nextInt(41)];
      random.nextBytes(data);
      assertThat(Murmur3.hash32(data)).isEqualTo(MurmurHash3.hash32x86(data));
    }
    // mmh3.hash("foo") and mmh3.hash("hello"), signed, from Python's mmh3 documentation.
    assertThat(Murmur3.hash32("foo".getBytes(StandardCharsets.UTF_8))).isEqualTo(-156908512);
    assertThat(Murmur3.hash32("hello".getBytes(StandardCharsets.UTF_8))).isEqualTo(613153351);
  }

  @Test
  void aKeysBucketIsTheSaltedHashModuloTenThousand() {
    byte[] salted = "iris/user-42".getBytes(StandardCharsets.UTF_8);
    long expected = Integer.toUnsignedLong(MurmurHash3.hash32x86(salted)) % 10_000;
    assertThat(Assignment.bucket("iris", "user-42")).isEqualTo((int) expected);
    assertThat(Assignment.bucket("iris", "user-42".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo((int) expected);
    // The splitter's name salts it: the same user falls elsewhere in another experiment.
    long differs = 0;
    for (int i = 0; i < 1000; i++) {
      if (Assignment.bucket("iris", "u" + i) != Assignment.bucket("mnist", "u" + i)) {
        differs++;
      }
    }
    assertThat(differs).isGreaterThan(990);
  }

  @Test
  void unicodeAndEmptyKeysHaveBuckets() {
    assertThat(Assignment.bucket("iris", "用户-é-🙂")).isBetween(0, 9999);
    assertThat(Assignment.bucket("iris", "")).isBetween(0, 9999);
    assertThat(Assignment.bucket("iris", "用户"))
        .isEqualTo(Assignment.bucket("iris", "用户".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void keysSpreadEvenlyOverTheBuckets() {
    int[] tenths = new int[10];
    int keys = 100_000;
    for (int i = 0; i < keys; i++) {
      tenths[Assignment.bucket("iris", "user-" + i) / 1000]++;
    }
    double chiSquare = 0;
    for (int count : tenths) {
      chiSquare += Math.pow(count - keys / 10.0, 2) / (keys / 10.0);
    }
    // 9 degrees of freedom: 27.88 is the 0.999 quantile.
    assertThat(chiSquare).isLessThan(27.88);
  }

  @Test
  void aFreshLayoutGivesEachTargetItsWeightInFileOrder() {
    Assignment assignment = Assignment.of(split("s", "my-api", 20, "another-my-api", 80));
    assertThat(assignment.encode()).isEqualTo("my-api=0-1999 another-my-api=2000-9999");
    assertThat(assignment.shares())
        .containsExactly(Map.entry("my-api", 2000), Map.entry("another-my-api", 8000));
    assertThat(assignment.ownerOf(1999)).isEqualTo("my-api");
    assertThat(assignment.ownerOf(2000)).isEqualTo("another-my-api");
  }

  @Test
  void shadowsAndZeroWeightsOwnNoBuckets() {
    TrafficSplitter splitter =
        TrafficSplitter.builder().name("s").target("a", 0).target("b", 100).shadow("c", 50).build();
    assertThat(Assignment.of(splitter).encode()).isEqualTo("b=0-9999");
  }

  @Test
  void raisingTheCandidateFromTenToFiftyMovesFortyPercentAllToIt() {
    Assignment before = Assignment.of(split("s", "base", 90, "cand", 10));
    Assignment after = before.next(split("s", "base", 50, "cand", 50));
    assertThat(before.movedFraction(after)).isEqualTo(0.40);
    for (int bucket = 0; bucket < Assignment.BUCKETS; bucket++) {
      if (!before.ownerOf(bucket).equals(after.ownerOf(bucket))) {
        assertThat(after.ownerOf(bucket)).isEqualTo("cand");
      }
    }
  }

  @Test
  void unchangedWeightsKeepTheLayoutWhateverItsHistory() {
    Assignment layout =
        Assignment.of(split("s", "a", 50, "b", 30, "c", 20))
            .next(split("s", "a", 20, "b", 30, "c", 50))
            .next(split("s", "a", 40, "b", 10, "c", 50));
    assertThat(layout.next(split("s", "a", 40, "b", 10, "c", 50))).isSameAs(layout);
  }

  @Test
  void twoTargetsAlwaysKeepTheFreshLayout() {
    Random random = new Random(3);
    Assignment layout = Assignment.of(split("s", "base", 100, "cand", 0));
    for (int step = 0; step < 500; step++) {
      int base = random.nextInt(101);
      TrafficSplitter next = split("s", "base", base, "cand", 100 - base);
      layout = layout.next(next);
      assertThat(layout).isEqualTo(Assignment.of(next));
    }
  }

  @Test
  void everySequenceOfWeightsMovesOnlyWhatMustMoveAndOnlyToGainers() {
    Random random = new Random(11);
    for (int sequence = 0; sequence < 60; sequence++) {
      int targets = 2 + random.nextInt(4);
      Assignment layout = Assignment.of(randomSplit(random, targets));
      for (int step = 0; step < 25; step++) {
        TrafficSplitter next = randomSplit(random, targets);
        Assignment moved = layout.next(next);
        Map<String, Integer> before = layout.shares();
        Map<String, Integer> after = moved.shares();
        int mustMove = 0;
        for (TargetApi api : next.liveTargets()) {
          assertThat(after.getOrDefault(api.name(), 0)).isEqualTo(api.weight() * 100);
          mustMove += Math.max(0, api.weight() * 100 - before.getOrDefault(api.name(), 0));
        }
        int movedBuckets = 0;
        for (int bucket = 0; bucket < Assignment.BUCKETS; bucket++) {
          String from = layout.ownerOf(bucket);
          String to = moved.ownerOf(bucket);
          if (!from.equals(to)) {
            movedBuckets++;
            assertThat(after.getOrDefault(from, 0)).isLessThan(before.get(from));
            assertThat(after.get(to)).isGreaterThan(before.getOrDefault(to, 0));
          }
        }
        assertThat(movedBuckets).isEqualTo(mustMove);
        assertThat(Assignment.decode("s", moved.encode())).isEqualTo(moved);
        layout = moved;
      }
    }
  }

  private static TrafficSplitter randomSplit(Random random, int targets) {
    int[] weights = new int[targets];
    int left = 100;
    for (int i = 0; i < targets - 1; i++) {
      weights[i] = random.nextInt(3) == 0 ? 0 : random.nextInt(left + 1);
      left -= weights[i];
    }
    weights[targets - 1] = left;
    List<Object> args = new ArrayList<>();
    for (int i = 0; i < targets; i++) {
      args.add("t" + i);
      args.add(weights[i]);
    }
    return split("s", args.toArray());
  }

  @Test
  void aRemovedTargetsBucketsGoToTheGainers() {
    Assignment before = Assignment.of(split("s", "a", 50, "b", 25, "c", 25));
    Assignment after = before.next(split("s", "a", 50, "d", 50));
    assertThat(after.shares()).containsOnly(Map.entry("a", 5000), Map.entry("d", 5000));
    assertThat(after.ranges("a")).containsExactly(new int[] {0, 4999});
  }

  @Test
  void aLayoutReadsBackFromItsText() {
    Assignment layout =
        Assignment.of(split("s", "a", 50, "b", 30, "c", 20))
            .next(split("s", "a", 20, "b", 30, "c", 50));
    String text = layout.encode();
    assertThat(Assignment.decode("s", text)).isEqualTo(layout);
    assertThat(Assignment.decode("s", " " + text + "  ")).isEqualTo(layout);
    assertThat(layout.toString()).isEqualTo("s: " + text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "a=0-4999",
        "a=0-4999 b=4999-9999",
        "a=0-4999 b=5000-10000",
        "a=0-x b=5000-9999",
        "=0-9999",
        "a 0-9999",
        "a=9999-0",
        "a=-1-9999",
        "a=0-9999,",
      })
  void aMalformedLayoutIsRefusedWithWhatIsWrong(String text) {
    assertThatThrownBy(() -> Assignment.decode("s", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a bucket layout");
  }

  @Test
  void aLayoutCarriesOverOnlyToItsOwnSplitter() {
    Assignment layout = Assignment.of(split("s", "a", 100));
    assertThatThrownBy(() -> layout.next(split("other", "a", 100)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot carry over to other");
    assertThatThrownBy(() -> Assignment.of(split("s", "a", 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no live target with weight");
    assertThatThrownBy(() -> layout.ownerOf(10_000)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void weightsThatDoNotSumToAHundredStillShareEveryBucket() {
    Assignment layout = Assignment.of(split("s", "a", 1, "b", 1, "c", 1));
    assertThat(layout.shares().values()).containsExactly(3334, 3333, 3333);
  }

  @Test
  void theOfflineTargetIsTheOwnerOfTheKeysBucket() {
    Assignment layout = Assignment.of(split("s", "a", 50, "b", 50));
    for (int i = 0; i < 1000; i++) {
      String key = "k" + i;
      assertThat(layout.target(key)).isEqualTo(Assignment.bucket("s", key) < 5000 ? "a" : "b");
    }
  }
}
