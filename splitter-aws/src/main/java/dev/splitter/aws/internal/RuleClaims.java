package dev.splitter.aws.internal;

import dev.splitter.core.BackendException;
import dev.splitter.spi.Annotations;
import dev.splitter.spi.Guard;
import dev.splitter.support.BackendCalls;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A compare-and-set of one tag on a listener rule (ALB) or a listener (NLB), which Elastic Load
 * Balancing cannot do itself: AddTags takes no precondition. A writer reads the rule's tags, checks
 * the guard and that no one else holds a live claim, claims the rule with a tag of its own ({@value
 * #CLAIM} = a random token and an expiry), waits out a settle time, reads the tags again, and
 * writes only if its claim and the guard both still hold; then it drops the claim.
 *
 * <p>The window: two writers that read the same value both write only if one of them takes longer
 * than the settle time from its first read to its claim, or holds its claim past the lease (its
 * writes take longer than {@link #LEASE}). A claim left by a process that died expires after the
 * lease, so it blocks the next writer for at most that long. Expiries are wall-clock times, so
 * writers on machines whose clocks differ by more than the lease can overlap.
 */
@API(status = API.Status.INTERNAL)
public final class RuleClaims {
  /** The tag that holds a writer's claim on a rule. */
  public static final String CLAIM = "splitter.dev/claim";

  /** How long a claim holds: the writes it guards must end within it. */
  public static final Duration LEASE = Duration.ofSeconds(60);

  private final ElbTags tags;
  private final BackendCalls aws;
  private final Duration settle;
  private final Clock wallClock;

  public RuleClaims(ElbTags tags, BackendCalls aws, Duration settle, Clock wallClock) {
    this.tags = tags;
    this.aws = aws;
    this.settle = settle;
    this.wallClock = wallClock;
  }

  /**
   * Runs {@code write} and then sets the guard's tag, if the tag holds what the guard expects,
   * fenced as the class says. A live claim by another writer is waited out (it ends, or expires).
   *
   * @param arn the rule or listener whose tags keep the splitter's state
   * @return false, having written nothing, if the guard's tag held something else
   */
  public boolean swapIf(String arn, String object, Guard guard, Runnable write) {
    String ruleArn = arn;
    String tag = Annotations.PREFIX + guard.key();
    String token = UUID.randomUUID().toString();
    while (true) {
      Map<String, String> current = tags.of(ruleArn, object);
      if (!guard.holds(current.get(tag))) {
        return false;
      }
      Claim other = Claim.parse(current.get(CLAIM));
      if (other != null && !other.expiredAt(wallClock.millis())) {
        pause(Duration.ofMillis(Math.min(other.expiresAt - wallClock.millis(), 200)), object);
        continue;
      }
      Claim mine = new Claim(token, wallClock.millis() + LEASE.toMillis());
      tags.add(ruleArn, object, Map.of(CLAIM, mine.text()));
      pause(settle, object);
      Map<String, String> now = tags.of(ruleArn, object);
      if (!token.equals(tokenOf(now.get(CLAIM)))) {
        continue; // another writer's claim came after ours: it goes first
      }
      if (!guard.holds(now.get(tag))) {
        tags.remove(ruleArn, object, CLAIM);
        return false;
      }
      try {
        write.run();
        if (guard.value() == null) {
          tags.remove(ruleArn, object, tag);
        } else {
          tags.add(ruleArn, object, Map.of(tag, guard.value()));
        }
      } finally {
        tags.remove(ruleArn, object, CLAIM);
      }
      return true;
    }
  }

  private void pause(Duration duration, String object) {
    try {
      Thread.sleep(Math.max(1, duration.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw BackendException.builder(aws.backend(), "claim", object)
          .message("interrupted while claiming the rule; nothing was written")
          .retryable(true)
          .cause(e)
          .build();
    }
  }

  private static @Nullable String tokenOf(@Nullable String claim) {
    Claim parsed = Claim.parse(claim);
    return parsed == null ? null : parsed.token;
  }

  /** A writer's claim: its token, and when it expires (epoch milliseconds). */
  private record Claim(String token, long expiresAt) {
    static @Nullable Claim parse(@Nullable String text) {
      if (text == null) {
        return null;
      }
      int space = text.indexOf(' ');
      try {
        return space < 0
            ? new Claim(text, 0)
            : new Claim(text.substring(0, space), Long.parseLong(text.substring(space + 1)));
      } catch (NumberFormatException e) {
        return new Claim(text, 0); // unreadable: treated as expired
      }
    }

    boolean expiredAt(long now) {
      return now >= expiresAt;
    }

    String text() {
      return token + " " + expiresAt;
    }
  }
}
