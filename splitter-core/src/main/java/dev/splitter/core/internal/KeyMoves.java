package dev.splitter.core.internal;

import dev.splitter.model.Assignment;
import java.util.Locale;
import java.util.Map;
import org.apiguardian.api.API;

/** What a change of weights does to keyed users: which share of keys moves, and to where. */
@API(status = API.Status.INTERNAL)
public final class KeyMoves {
  private KeyMoves() {}

  /** {@code keys moving: 40.00% (to cand 40.00%)}, or {@code keys moving: none}. */
  public static String between(Assignment before, Assignment after) {
    Map<String, Integer> movedTo = before.movedTo(after);
    if (movedTo.isEmpty()) {
      return "keys moving: none";
    }
    int moved = movedTo.values().stream().mapToInt(Integer::intValue).sum();
    StringBuilder line = new StringBuilder("keys moving: ").append(percent(moved)).append(" (to ");
    String separator = "";
    for (Map.Entry<String, Integer> target : movedTo.entrySet()) {
      line.append(separator).append(target.getKey()).append(' ').append(percent(target.getValue()));
      separator = ", ";
    }
    return line.append(')').toString();
  }

  private static String percent(int buckets) {
    return String.format(Locale.ROOT, "%.2f%%", buckets * 100.0 / Assignment.BUCKETS);
  }
}
