package dev.splitter.cli.internal;

import dev.splitter.rollout.Gate;
import dev.splitter.rollout.RolloutSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code splitter rollout NAME --candidate X}: moves weight to a candidate in steps, gated on each
 * step's traffic, rolled back on a failed gate; {@code --abort} and {@code --resume} act on the one
 * in progress.
 */
@Command(
    name = "rollout",
    mixinStandardHelpOptions = true,
    description = {
      "Moves a splitter's weight from a baseline to a candidate in steps. After each step's"
          + " interval, the threshold gates (--max-error-rate, --max-latency-ratio) are read on"
          + " that step's traffic; the sequential gates (--max-error-increase,"
          + " --max-quantile-ratio) compare the candidate with the baseline at every check, with"
          + " always-valid intervals. A gate that fails restores the weights from before the"
          + " rollout.",
      "The rollout's state is kept on the splitter's routing object: --abort or --resume from"
          + " anywhere. Against `splitter serve` the rollout runs inside serve."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:promoted (with --abort: aborted)",
      "1:rolled back, aborted or failed",
      "2:wrong usage"
    })
final class RolloutCommand implements Callable<Integer> {
  private final Cli cli;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "The deployed splitter.")
  String name;

  @Mixin EnvOption env;

  @Option(names = "--candidate", paramLabel = "API", description = "The API that gains weight.")
  @Nullable String candidate;

  @Option(
      names = "--baseline",
      paramLabel = "API",
      description = "The API that gives it up. Default: the one other target with weight.")
  @Nullable String baseline;

  @Option(
      names = "--steps",
      split = ",",
      paramLabel = "PERCENT",
      defaultValue = "5,25,50,100",
      description =
          "The candidate's share, in percent, of the weight it and the baseline hold, at each"
              + " step (default: ${DEFAULT-VALUE}).")
  List<Integer> steps;

  @Option(
      names = "--interval",
      defaultValue = "5m",
      description = "Bake time per step: 30s, 5m, 1h (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(
      names = "--max-error-rate",
      converter = Share.class,
      paramLabel = "RATE",
      description = "Roll back when the candidate's 5XX share of a step passes it: 1%% or 0.01.")
  @Nullable Double maxErrorRate;

  @Option(
      names = "--max-latency-ratio",
      paramLabel = "RATIO",
      description = "Roll back when the candidate's average latency over the baseline's passes it.")
  @Nullable Double maxLatencyRatio;

  @Option(
      names = "--max-error-increase",
      converter = Share.class,
      paramLabel = "RATE",
      description =
          "Sequential: roll back as soon as the candidate's 5XX rate is shown above the"
              + " baseline's by more than this (0.5%% = half a point), checked all through the"
              + " step; the step ends once it is shown not to be.")
  @Nullable Double maxErrorIncrease;

  @Option(
      names = "--max-quantile-ratio",
      paramLabel = "pNN=RATIO",
      converter = QuantileRatio.class,
      description =
          "Sequential: roll back as soon as the candidate's latency at that percentile is shown"
              + " above the baseline's times RATIO: p95=1.2. May be repeated.")
  List<Gate> quantileRatios = new ArrayList<>();

  @Option(
      names = "--min-shadow-agreement",
      converter = Share.class,
      paramLabel = "SHARE",
      description =
          "Start with a shadow step: the candidate gets a copy of every request as the shadow"
              + " (no live traffic) until its answers agree with the live ones on this share of"
              + " at least --min-requests compared: 99%% or 0.99; less rolls back. The local"
              + " gateway compares answers (see `splitter serve --shadow-ignore`).")
  @Nullable Double minShadowAgreement;

  @Option(
      names = "--confidence",
      paramLabel = "PERCENT",
      converter = Share.class,
      defaultValue = "95%",
      description =
          "How sure sequential gates must be before they decide, over the whole rollout"
              + " (default: ${DEFAULT-VALUE}).")
  double confidence;

  @Option(
      names = "--check-every",
      paramLabel = "DURATION",
      description = "How often sequential gates look (default: a tenth of the interval).")
  @Nullable Duration checkEvery;

  @Option(
      names = "--min-requests",
      defaultValue = "100",
      description =
          "Candidate requests a step needs before its gates count; fewer waits another interval"
              + " (default: ${DEFAULT-VALUE}).")
  long minRequests;

  @Option(
      names = "--max-inconclusive",
      defaultValue = "3",
      paramLabel = "N",
      description =
          "Extra intervals a step may wait for traffic before it rolls back (default: 3).")
  int maxInconclusive;

  @Option(names = "--abort", description = "Stop the rollout in progress; restore its weights.")
  boolean abort;

  @Option(names = "--resume", description = "Go on with the rollout in progress from its step.")
  boolean resume;

  RolloutCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    Rollouts.Request request = checkedRequest();
    // Installed for the whole command, so that a Ctrl-C waits for the weights to be restored and
    // for the line that says so.
    CancelOnExit cancelOnExit = CancelOnExit.install();
    try (Backend backend = cli.open(env.name)) {
      Rollouts.End end;
      if (abort) {
        end = backend.abortRollout(name);
      } else {
        Progress progress = new Progress(cli, cli.interactive());
        try {
          end = backend.rollout(request, progress::show);
        } finally {
          progress.finish();
        }
      }
      String line = name + ": " + end.outcome().replace('_', ' ') + ": " + end.reason();
      if (end.promoted() || abort) {
        cli.out().println(line);
        cli.out().flush();
        return 0;
      }
      cli.out().flush();
      cli.err().println(line);
      cli.err().flush();
      return 1;
    } finally {
      cancelOnExit.done();
    }
  }

  /**
   * The request, once the options that cannot go together and the values the library refuses are
   * usage errors (exit 2), before anything is opened.
   */
  private Rollouts.Request checkedRequest() {
    if (abort && resume) {
      throw usage("--abort and --resume cannot go together");
    }
    if (abort || resume) {
      return Rollouts.Request.resume(name);
    }
    if (candidate == null) {
      throw usage("--candidate is required to start a rollout (or --abort, --resume)");
    }
    List<Gate> gates = new ArrayList<>();
    try {
      if (maxErrorRate != null) {
        gates.add(Gate.maxErrorRate(maxErrorRate));
      }
      if (maxLatencyRatio != null) {
        gates.add(Gate.maxLatencyRatio(maxLatencyRatio));
      }
      if (maxErrorIncrease != null) {
        gates.add(Gate.errorRateVsBaseline(maxErrorIncrease));
      }
      gates.addAll(quantileRatios);
      if (minShadowAgreement != null) {
        gates.add(Gate.minShadowAgreement(minShadowAgreement));
      }
      return Rollouts.Request.start(
          new RolloutSpec(
              name,
              baseline,
              candidate,
              steps,
              interval,
              gates,
              minRequests,
              maxInconclusive,
              confidence,
              checkEvery != null ? checkEvery : RolloutSpec.defaultCheckEvery(interval)));
    } catch (IllegalArgumentException e) {
      throw usage(String.valueOf(e.getMessage()));
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /**
   * Ctrl-C (or SIGTERM) during a rollout: the JVM's shutdown interrupts this thread, which cancels
   * the rollout (it restores the weights, or, inside serve, stops watching), and waits for the
   * command to end before the JVM does.
   */
  private static final class CancelOnExit {
    private static final long WAIT_MILLIS = 60_000;

    private final Thread hook;
    private final CountDownLatch ended = new CountDownLatch(1);

    private CancelOnExit(Thread command) {
      this.hook =
          new Thread(
              () -> {
                command.interrupt();
                try {
                  ended.await(WAIT_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "splitter-rollout-cancel");
    }

    static CancelOnExit install() {
      CancelOnExit cancel = new CancelOnExit(Thread.currentThread());
      Runtime.getRuntime().addShutdownHook(cancel.hook);
      return cancel;
    }

    void done() {
      ended.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is shutting down: the hook is running and now returns.
      }
    }
  }

  /** A share as people type it: {@code 1%} or {@code 0.01}. */
  static final class Share implements ITypeConverter<Double> {
    @Override
    public Double convert(String text) {
      String trimmed = text.strip();
      try {
        double value =
            trimmed.endsWith("%")
                ? Double.parseDouble(trimmed.substring(0, trimmed.length() - 1)) / 100
                : Double.parseDouble(trimmed);
        if (value >= 0 && value <= 1) {
          return value;
        }
      } catch (NumberFormatException e) {
        // said below
      }
      throw new TypeConversionException(
          "'" + text + "' is not a share: give 1% or 0.01 (from 0 to 100%)");
    }
  }

  /** A latency-vs-baseline gate as people type it: {@code p95=1.2}. */
  static final class QuantileRatio implements ITypeConverter<Gate> {
    @Override
    public Gate convert(String text) {
      String trimmed = text.strip();
      int equals = trimmed.indexOf('=');
      try {
        if (trimmed.startsWith("p") && equals > 1) {
          return Gate.latencyVsBaseline(
              Gate.rankOf(trimmed.substring(0, equals)),
              Double.parseDouble(trimmed.substring(equals + 1)));
        }
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("'" + text + "': " + e.getMessage());
      }
      throw new TypeConversionException(
          "'" + text + "' is not a percentile and a ratio: give p95=1.2");
    }
  }

  /**
   * The rollout's events, one line each; on a terminal, a step's events rewrite one live line and
   * only its last stays.
   */
  private static final class Progress {
    private final Cli cli;
    private final boolean live;
    private boolean lineOpen;

    Progress(Cli cli, boolean live) {
      this.cli = cli;
      this.live = live;
    }

    void show(Rollouts.Event event) {
      boolean ending =
          switch (event.type()) {
            case "PROMOTED", "ROLLED_BACK", "ABORTED" -> true;
            default -> false;
          };
      if (!live) {
        cli.out().println(event.message());
      } else if (ending || event.type().equals("STEP_STARTED")) {
        if (lineOpen) {
          cli.out().println();
        }
        cli.out().print(event.message());
        lineOpen = true;
      } else {
        cli.out().print("\r\033[K" + event.message());
        lineOpen = true;
      }
      cli.out().flush();
    }

    void finish() {
      if (live && lineOpen) {
        cli.out().println();
        cli.out().flush();
      }
    }
  }
}
