package dev.splitter.k8s;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A fixed clock that lets someone else write at the moment splitter stamps an object: after its
 * read and before its write, so the API server answers that write with a real 409.
 */
final class MeddlingClock extends Clock {
  private final Instant now;
  private volatile int times;
  private volatile Runnable meddle = () -> {};

  MeddlingClock(Instant now) {
    this.now = now;
  }

  /** Runs {@code meddle} at each of the next {@code times} stamps. */
  void meddle(int times, Runnable meddle) {
    this.meddle = meddle;
    this.times = times;
  }

  @Override
  public Instant instant() {
    if (times > 0) {
      times--;
      meddle.run();
    }
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
