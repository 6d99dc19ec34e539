package dev.splitter.cli.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The rollouts {@code splitter serve} runs for {@code splitter rollout}: each on a thread of its
 * own (a rollout lasts minutes; the admin endpoint's workers answer in milliseconds), its events
 * kept for the command to poll. The rollout lives in serve, so the command's exit does not stop it:
 * {@code --abort} does, by interrupting it at once (it restores its weights) rather than at the end
 * of its interval. Closing stops every running one the same way.
 */
final class RolloutJobs implements AutoCloseable {
  /** How long an abort waits for a running rollout to restore its weights. */
  private static final Duration ABORT_WAIT = Duration.ofSeconds(60);

  private final Backend target;
  private final Map<String, Job> bySplitter = new ConcurrentHashMap<>();

  RolloutJobs(Backend target) {
    this.target = target;
  }

  /**
   * Starts a rollout.
   *
   * @throws CliException if this serve already runs one on the splitter
   */
  void start(Rollouts.Request request) {
    Job job = new Job();
    Job running =
        bySplitter.compute(
            request.splitter(),
            (name, previous) -> previous != null && !previous.done ? previous : job);
    if (running != job) {
      throw new CliException(
          "a rollout of " + request.splitter() + " is already running in this serve");
    }
    Thread thread = new Thread(() -> job.run(target, request), "rollout-" + request.splitter());
    thread.setDaemon(true);
    job.thread = thread;
    thread.start();
  }

  /**
   * The events of a splitter's latest rollout from index {@code after}, and how it ended if it did.
   *
   * @throws CliException if this serve has run none on it
   */
  Progress progress(String splitter, int after) {
    Job job = bySplitter.get(splitter);
    if (job == null) {
      throw new CliException("this serve runs no rollout of " + splitter);
    }
    return job.progress(after);
  }

  /**
   * Aborts a splitter's rollout: one running in this serve is interrupted, which restores its
   * weights, and its end is returned; otherwise the stored state is rolled back.
   */
  Rollouts.End abort(String splitter) throws InterruptedException {
    Job job = bySplitter.get(splitter);
    Thread thread = job == null ? null : job.thread;
    if (job == null || thread == null || job.done) {
      return target.abortRollout(splitter);
    }
    thread.interrupt();
    thread.join(ABORT_WAIT.toMillis());
    if (thread.isAlive()) {
      throw new CliException(
          "the rollout of " + splitter + " did not stop within " + ABORT_WAIT.toSeconds() + " s");
    }
    Rollouts.End end = job.end;
    if (end == null) {
      throw new CliException(String.valueOf(job.error));
    }
    return end;
  }

  @Override
  public void close() {
    for (Job job : bySplitter.values()) {
      Thread thread = job.thread;
      if (thread != null && thread.isAlive()) {
        thread.interrupt();
        try {
          thread.join(10_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** What a poll gets: new events, then, once, the end or the error. */
  record Progress(
      List<Rollouts.Event> events,
      boolean done,
      Rollouts.@Nullable End end,
      @Nullable String error) {}

  private static final class Job {
    private final List<Rollouts.Event> events = new ArrayList<>();
    private volatile boolean done;
    private volatile Rollouts.@Nullable End end;
    private volatile @Nullable String error;
    volatile @Nullable Thread thread;

    void run(Backend target, Rollouts.Request request) {
      try {
        end = target.rollout(request, this::add);
      } catch (RuntimeException e) {
        // Reported to the command that polls; serve itself goes on.
        error = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
      } finally {
        done = true;
      }
    }

    private synchronized void add(Rollouts.Event event) {
      events.add(event);
    }

    synchronized Progress progress(int after) {
      List<Rollouts.Event> fresh =
          after >= events.size() ? List.of() : List.copyOf(events.subList(after, events.size()));
      boolean finished = done;
      return new Progress(fresh, finished, finished ? end : null, finished ? error : null);
    }
  }
}
