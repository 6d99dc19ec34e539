package dev.splitter.cli.internal;

import dev.splitter.model.SplitterConfig;
import dev.splitter.validation.SplitterValidator;
import org.apiguardian.api.API;

/**
 * Builds the validation engine (Hibernate Validator's factory and the model's constraint metadata,
 * a third of a {@code validate}'s start-up) and the YAML reader on a daemon thread of their own,
 * while the main thread reads the command line: on two cores the two overlap. The main thread's
 * first validation waits for the engine if it is not built yet, never builds it twice.
 */
@API(status = API.Status.INTERNAL)
public final class ValidatorWarmUp {
  private static final String SAMPLE =
      """
      - name: warm-up-api
        kind: RealtimeAPI
      - name: warm-up
        kind: TrafficSplitter
        apis:
          - {name: warm-up-api, weight: 100}
      """;

  private ValidatorWarmUp() {}

  /** Starts building them, for a command line that will validate a file. */
  public static void start() {
    Thread thread =
        new Thread(
            () -> {
              try {
                SplitterValidator.create().validate(SplitterConfig.parse(SAMPLE, "warm-up.yaml"));
              } catch (RuntimeException e) {
                // Only a head start: the command meets any real problem itself.
              }
            },
            "validator-warm-up");
    thread.setDaemon(true);
    thread.start();
  }
}
