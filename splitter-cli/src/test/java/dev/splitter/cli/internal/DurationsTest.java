package dev.splitter.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationsTest {

  @Test
  void durationsAsPeopleTypeThemAndAsIso() {
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
    assertThat(Durations.parse(" 1H5S ")).isEqualTo(Duration.ofSeconds(3605));
    assertThat(Durations.parse("PT5M")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("pt0.5s")).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void anythingElseIsRefusedWithExamples() {
    for (String bad : new String[] {"5", "5 minutes", "-5m", "m5", "", "PT-5M", "1.5h"}) {
      assertThatThrownBy(() -> Durations.parse(bad))
          .isInstanceOf(TypeConversionException.class)
          .hasMessage("'" + bad + "' is not a duration: write it as 30s, 5m, 1h30m, 500ms or PT5M");
    }
  }

  @Test
  void printedBackTheWayTheyAreTyped() {
    assertThat(Durations.format(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1s500ms");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
  }
}
