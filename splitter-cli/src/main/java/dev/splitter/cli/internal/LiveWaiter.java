package dev.splitter.cli.internal;

import dev.splitter.cli.internal.Views.Api;
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
  private final Target target;

  LiveWaiter(Cli cli, Target target) {
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
    while (true) {
      Map<String, String> waitingFor = notLive(splitters);
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
      if (Instant.now().isAfter(deadline)) {
        if (interactive) {
          cli.out().println();
        }
        throw new CliException(
            "timed out after " + timeout + " " + line + " (the deploy itself stands)");
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** Each target that takes traffic but is not live, with its state. */
  private Map<String, String> notLive(List<String> splitters) {
    Map<String, String> waiting = new LinkedHashMap<>();
    for (String splitter : splitters) {
      for (Api api : target.get(splitter).view().serving()) {
        if (!api.status().equals("live")) {
          waiting.put(api.name(), api.status());
        }
      }
    }
    return waiting;
  }

  private static String describe(Map<String, String> waiting) {
    List<String> parts = new ArrayList<>();
    waiting.forEach((api, state) -> parts.add(api + " (" + state + ")"));
    return String.join(", ", parts);
  }
}
