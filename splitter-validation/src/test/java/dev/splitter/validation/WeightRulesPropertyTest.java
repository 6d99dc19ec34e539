package dev.splitter.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitter.model.RealtimeApi;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: a list of weights passes exactly when every weight is 0..100, the non-shadow weights
 * sum to 100 and at most one target is a shadow. Cases come from a fixed seed and lean toward the
 * edges (0, 100, 101, -1, sums near 100).
 */
class WeightRulesPropertyTest {
  private static final int CASES = 2_000;
  private static final int[] EDGES = {0, 100, 101, -1, 50, 1, 99};

  @ParameterizedTest(name = "case {index}")
  @MethodSource("targetLists")
  void weightsPassExactlyWhenTheyMeetTheRules(List<TargetApi> apis) {
    List<RealtimeApi> realtimeApis = apis.stream().map(api -> RealtimeApi.of(api.name())).toList();
    TrafficSplitter splitter = TrafficSplitter.builder().name("ts").apis(apis).build();
    SplitterConfig config =
        SplitterConfig.of(Stream.concat(realtimeApis.stream(), Stream.of(splitter)).toList());

    boolean valid = SplitterValidator.create().validate(config).valid();

    assertThat(valid).as("valid(%s)", apis).isEqualTo(meetsTheRules(apis));
  }

  @Test
  void theCasesCoverBothOutcomes() {
    long valid = targetLists().filter(WeightRulesPropertyTest::meetsTheRules).count();

    assertThat(valid).isBetween(CASES / 10L, CASES * 9L / 10);
  }

  private static boolean meetsTheRules(List<TargetApi> apis) {
    boolean inRange = apis.stream().allMatch(api -> api.weight() >= 0 && api.weight() <= 100);
    int liveSum = apis.stream().filter(api -> !api.shadow()).mapToInt(TargetApi::weight).sum();
    long shadows = apis.stream().filter(TargetApi::shadow).count();
    return !apis.isEmpty() && inRange && liveSum == 100 && shadows <= 1;
  }

  static Stream<List<TargetApi>> targetLists() {
    return IntStream.range(0, CASES).mapToObj(seed -> targets(new Random(seed)));
  }

  private static List<TargetApi> targets(Random random) {
    int count = random.nextInt(7);
    List<TargetApi> apis = new ArrayList<>();
    int remaining = 100;
    for (int i = 0; i < count; i++) {
      boolean shadow = random.nextInt(5) == 0;
      int weight =
          switch (random.nextInt(3)) {
            case 0 -> EDGES[random.nextInt(EDGES.length)];
            case 1 -> i == count - 1 ? remaining : random.nextInt(0, Math.max(remaining, 0) + 1);
            default -> random.nextInt(-3, 104);
          };
      if (!shadow) {
        remaining -= weight;
      }
      apis.add(new TargetApi("api-" + i, weight, shadow));
    }
    return apis;
  }
}
