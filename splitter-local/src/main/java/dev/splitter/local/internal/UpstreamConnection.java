package dev.splitter.local.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One keep-alive connection to a target, the last handler of its pipeline: hands what the target
 * sends to the request it is leased to. A connection that speaks while leased to nobody is out of
 * step with its target and is closed, never reused.
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamConnection.class);

  /** The request a connection is leased to, told what the target does. */
  interface Listener {
    /** An HTTP object from the target; the listener owns it. */
    void upstreamRead(Object message);

    /** The end of one read from the socket: time to flush what was relayed. */
    void upstreamReadComplete();

    /** The connection closed, or failed, before the answer was whole. */
    void upstreamClosed();

    /** The target sent and received nothing for the upstream timeout. */
    void upstreamTimedOut();

    /** The connection's write buffer filled up or drained. */
    void upstreamWritabilityChanged();
  }

  private final String address;
  private final Channel channel;
  private final long silenceNanos;
  private @Nullable Listener listener;
  private long idleSince = System.nanoTime();
  private long lastActivity = idleSince;

  /**
   * @param silenceNanos how long the target may stay silent while leased, and the longest a
   *     connection waits in the pool
   */
  UpstreamConnection(String address, Channel channel, long silenceNanos) {
    this.address = address;
    this.channel = channel;
    this.silenceNanos = silenceNanos;
  }

  /** The target's {@code host:port}, the pool's key. */
  String address() {
    return address;
  }

  Channel channel() {
    return channel;
  }

  void attach(Listener listener) {
    this.listener = listener;
    lastActivity = System.nanoTime();
  }

  /** Bytes went to the target: the silence is the caller's, not the target's. */
  void wrote() {
    lastActivity = System.nanoTime();
  }

  /** Leased to nobody from now on; its time in the pool starts. */
  void detach() {
    listener = null;
    idleSince = System.nanoTime();
  }

  /** Since when the connection has waited in the pool. */
  long idleSince() {
    return idleSince;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    schedule(ctx, silenceNanos);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    lastActivity = System.nanoTime();
    Listener current = listener;
    if (current == null) {
      ReferenceCountUtil.release(msg);
      ctx.close(); // bytes nobody asked for: the connection's framing is in doubt
      return;
    }
    current.upstreamRead(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    Listener current = listener;
    if (current != null) {
      current.upstreamReadComplete();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Listener current = listener;
    listener = null;
    if (current != null) {
      current.upstreamClosed();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    Listener current = listener;
    if (current != null) {
      current.upstreamWritabilityChanged();
    }
  }

  /**
   * One timer per connection, re-armed when it fires (nothing is scheduled per request): a leased
   * connection whose target stayed silent too long times out; a pooled one is closed.
   */
  private void check(ChannelHandlerContext ctx) {
    if (!channel.isOpen()) {
      return;
    }
    long now = System.nanoTime();
    Listener current = listener;
    long since = current == null ? idleSince : lastActivity;
    long left = since + silenceNanos - now;
    if (left > 0) {
      schedule(ctx, left);
    } else if (current == null) {
      ctx.close(); // idle in the pool for the whole timeout: not worth keeping
    } else {
      listener = null;
      current.upstreamTimedOut();
    }
  }

  private void schedule(ChannelHandlerContext ctx, long nanos) {
    ctx.executor().schedule(() -> check(ctx), nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("connection to {} failed", address, cause);
    ctx.close(); // the listener hears of it in channelInactive
  }
}
