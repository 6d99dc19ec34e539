package dev.splitter.local.internal;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The answers to one mirrored request, gathered for comparison: the live one the caller got, the
 * shadow's, and with a noise sample a second live one. Its legs are filled on the caller's event
 * loop (the shadow's and the noise copy's connections are leased from that loop's pool), so no
 * locks; once every leg has ended it goes to the comparison thread, which only reads it.
 */
final class ShadowPair {
  /** The most request bytes kept to show in {@code diff}. */
  static final int REQUEST_BYTES_KEPT = 2048;

  private final ShadowComparisons owner;
  final Target target;
  final String method;
  final String uri;
  final Leg live;
  final Leg shadow;
  final @Nullable Leg noise;
  private byte[] request = new byte[0];
  private int waiting;

  /** What the comparison is about, fixed when the request is routed. */
  record Target(
      String splitter,
      String liveApi,
      String shadowApi,
      ShadowLedger ledger,
      ShadowComparisons.Settings settings) {}

  ShadowPair(ShadowComparisons owner, Target target, String method, String uri, boolean withNoise) {
    this.owner = owner;
    this.target = target;
    this.method = method;
    this.uri = uri;
    int limit = target.settings().comparison().maxBodyBytes();
    this.live = new Leg(limit);
    this.shadow = new Leg(limit);
    this.noise = withNoise ? new Leg(limit) : null;
    this.waiting = withNoise ? 3 : 2;
  }

  /** Keeps the start of the request's body, to show beside a disagreement. */
  void request(ByteBuf body) {
    int kept = Math.min(body.readableBytes(), REQUEST_BYTES_KEPT);
    request = new byte[kept];
    body.getBytes(body.readerIndex(), request);
  }

  String requestText() {
    return new String(request, StandardCharsets.UTF_8);
  }

  /** Gives back the memory the legs held; called once, when the pair is done with. */
  void release() {
    live.release();
    shadow.release();
    if (noise != null) {
      noise.release();
    }
  }

  private void legEnded() {
    if (--waiting == 0) {
      owner.submit(this);
    }
  }

  /** One answer: its status, its body up to the limit, how long it took. */
  final class Leg implements AnswerSink {
    private final int limit;
    private byte[] body = new byte[0];
    private int length;
    private long reserved;
    int status;
    @Nullable String contentType;
    long nanos;
    boolean whole;
    boolean tooLarge;
    boolean overBudget;
    private boolean ended;

    private Leg(int limit) {
      this.limit = limit;
    }

    @Override
    public void head(int status, @Nullable String contentType) {
      this.status = status;
      this.contentType = contentType;
    }

    @Override
    public void content(ByteBuf part) {
      int size = part.readableBytes();
      if (ended || tooLarge || overBudget || size == 0) {
        return;
      }
      if ((long) length + size > limit) {
        tooLarge = true;
        release();
        return;
      }
      if (!owner.reserve(size)) {
        overBudget = true;
        release();
        return;
      }
      reserved += size;
      if (length + size > body.length) {
        body = Arrays.copyOf(body, Math.min(limit, Math.max(length + size, body.length * 2)));
      }
      part.getBytes(part.readerIndex(), body, length, size);
      length += size;
    }

    @Override
    public void ended(int status, long nanos, boolean whole) {
      if (ended) {
        return;
      }
      ended = true;
      this.status = status;
      this.nanos = nanos;
      this.whole = whole;
      legEnded();
    }

    /** The body as read: whole when {@link #whole} and neither too large nor over budget. */
    byte[] body() {
      return length == body.length ? body : Arrays.copyOf(body, length);
    }

    String text() {
      return new String(body, 0, length, StandardCharsets.UTF_8);
    }

    boolean comparable() {
      return whole && !tooLarge && !overBudget;
    }

    private void release() {
      owner.unreserve(reserved);
      reserved = 0;
      body = new byte[0];
      length = 0;
    }
  }
}
