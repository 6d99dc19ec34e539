package dev.splitter.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitter.model.Assignment;
import dev.splitter.model.TrafficSplitter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteKeyedTest {
  private static final TrafficSplitter THREE =
      TrafficSplitter.builder()
          .name("s")
          .target("a", 40)
          .target("b", 0)
          .target("c", 30)
          .target("d", 30)
          .shadow("e", 10)
          .build();

  @Test
  void aKeyOfAnEjectedTargetGoesToTheNextOwnerInFileOrderAndComesBack() {
    Route route = Route.of(THREE, Instant.EPOCH, null);
    Assignment layout = route.assignment();
    for (int i = 0; i < 2000; i++) {
      byte[] key = ("k" + i).getBytes(StandardCharsets.UTF_8);
      String owner = layout.target("k" + i);
      assertThat(route.keyed(key, Set.of())).isEqualTo(owner);
      String next =
          switch (owner) {
            case "a" -> "c"; // b owns no buckets: skipped
            case "c" -> "d";
            default -> "a"; // from the last, round to the first
          };
      assertThat(route.keyed(key, Set.of(owner))).isEqualTo(next);
      assertThat(route.keyed(key, Set.of("a", "c", "d"))).as("all ejected").isEqualTo(owner);
      assertThat(route.keyed(key, Set.of(owner, next))).isNotIn(owner, next, "b", "e");
    }
  }

  @Test
  void aNewRouteCarriesTheLayoutOverFromThePreviousOne() {
    TrafficSplitter before =
        TrafficSplitter.builder().name("s").target("a", 50).target("b", 30).target("c", 20).build();
    TrafficSplitter after =
        TrafficSplitter.builder().name("s").target("a", 20).target("b", 30).target("c", 50).build();
    Route first = Route.of(before, Instant.EPOCH, null);
    Route second = Route.of(after, Instant.EPOCH, first);
    assertThat(second.assignment()).isEqualTo(first.assignment().next(after));
    for (int bucket = 0; bucket < Assignment.BUCKETS; bucket++) {
      if (first.assignment().ownerOf(bucket).equals("b")) {
        assertThat(second.assignment().ownerOf(bucket)).isEqualTo("b");
      }
    }
  }
}
