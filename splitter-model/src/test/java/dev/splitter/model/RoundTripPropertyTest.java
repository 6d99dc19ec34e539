package dev.splitter.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: any configuration, however odd its strings and numbers, reads back equal from the YAML
 * and the JSON it writes. Cases come from a fixed seed, so a failure names a case that fails again.
 */
class RoundTripPropertyTest {
  private static final int CASES = 500;
  private static final String NAME_CHARS = "abz-09é模 :#'\"\\\n\t{}[],&*!|>%@`";

  @ParameterizedTest(name = "case {index}")
  @MethodSource("configs")
  void anyConfigurationReadsBackEqualFromItsYaml(SplitterConfig config) {
    assertThat(SplitterConfig.parse(config.toYaml(), "again.yaml")).isEqualTo(config);
  }

  @ParameterizedTest(name = "case {index}")
  @MethodSource("configs")
  void anyConfigurationReadsBackEqualFromItsJson(SplitterConfig config) {
    assertThat(SplitterConfig.parse(config.toJson(), "again.json")).isEqualTo(config);
  }

  static Stream<SplitterConfig> configs() {
    return IntStream.range(0, CASES).mapToObj(seed -> config(new Random(seed)));
  }

  private static SplitterConfig config(Random random) {
    List<ApiResource> resources = new ArrayList<>();
    for (int i = random.nextInt(5); i > 0; i--) {
      resources.add(random.nextBoolean() ? splitter(random) : realtimeApi(random));
    }
    return SplitterConfig.of(resources);
  }

  private static TrafficSplitter splitter(Random random) {
    List<TargetApi> apis = new ArrayList<>();
    for (int i = random.nextInt(7); i > 0; i--) {
      apis.add(new TargetApi(text(random), random.nextInt(-5, 200), random.nextBoolean()));
    }
    return new TrafficSplitter(text(random), networking(random), apis);
  }

  private static RealtimeApi realtimeApi(Random random) {
    Map<String, Object> extra = new LinkedHashMap<>();
    for (int i = random.nextInt(5); i > 0; i--) {
      extra.put("key" + i + text(random), random.nextBoolean() ? leaf(random) : leaves(random));
    }
    return new RealtimeApi(text(random), networking(random), extra);
  }

  private static List<Object> leaves(Random random) {
    List<Object> list = new ArrayList<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      list.add(leaf(random));
    }
    return list;
  }

  private static Object leaf(Random random) {
    return switch (random.nextInt(5)) {
      case 0 -> text(random);
      case 1 -> random.nextLong();
      case 2 -> random.nextDouble() * Math.pow(10, random.nextInt(-5, 20));
      case 3 -> String.valueOf(random.nextInt());
      default -> random.nextBoolean();
    };
  }

  private static Networking networking(Random random) {
    return new Networking(text(random), random.nextBoolean() ? ApiGateway.PUBLIC : ApiGateway.NONE);
  }

  private static String text(Random random) {
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(12); i > 0; i--) {
      text.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
    }
    return text.toString();
  }
}
