package dev.splitter.cli.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Waits until every target that takes traffic is live, saying how each stands: on a terminal as one
 * line rewritten in place, otherwise as a new line whenever something changes.
 */
final class LiveWaiter {
  private static final Duration POLL = Duration.ofMillis(500);

  private final Cli cli;
  private final Backend target;

  LiveWaiter(Cli cli, Backend target) {
    this.cli = cli;
    this.target = target;
  }

  void await(List<String> splitters, Duration timeout) throws InterruptedException {
    if (splitters.isEmpty()) {
      return;
    }
    Instant deadline = Instant.now().plus(timeout);
    boolean interactive = cli.interactive();
    String last = "";
    Map<String, String> waitingFor = Map.of();
    while (true) {
      try {
        waitingFor = notLive(splitters, deadline);
      } catch (CliException e) {
        if (Instant.now().isBefore(deadline)) {
          throw e;
        }
        // Out of time while asking: report what the last answer said.
        if (waitingFor.isEmpty()) {
          waitingFor = Map.of("an answer", "too slow: " + e.getMessage());
        }
      }
      if (waitingFor.isEmpty()) {
        if (interactive && !last.isEmpty()) {
          cli.out().println();
        }
        cli.out().println("all targets are live");
        cli.out().flush();
        return;
      }
      String line = "waiting for " + describe(waitingFor);
      if (interactive) {
        cli.out().print("\r" + line + "   ");
      } else if (!line.equals(last)) {
        cli.out().println(line);
      }
      cli.out().flush();
      last = line;
      Duration left = Duration.between(Instant.now(), deadline);
      if (left.isNegative() || left.isZero()) {
        if (interactive) {
          cli.out().println();
        }
        throw new CliException(
            "timed out after "
                + Durations.format(timeout)
                + " "
                + line
                + " (the deploy itself stands)");
      }
      Thread.sleep(Math.min(POLL.toMillis(), left.toMillis() + 1));
    }
  }

  /** Each target that takes traffic but is not live, with its state: one call per poll. */
  private Map<String, String> notLive(List<String> splitters, Instant deadline) {
    Map<String, String> waiting = new LinkedHashMap<>();
    target
        .servingStates(splitters, deadline)
        .forEach(
            (api, state) -> {
              if (!state.equals("live")) {
                waiting.put(api, state);
              }
            });
    return waiting;
  }

  private static String describe(Map<String, String> waiting) {
    List<String> parts = new ArrayList<>();
    waiting.forEach((api, state) -> parts.add(api + " (" + state + ")"));
    return String.join(", ", parts);
  }
}
