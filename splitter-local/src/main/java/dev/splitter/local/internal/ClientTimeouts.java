package dev.splitter.local.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a client connection that takes too long where only the client can be waited for: sending a
 * request's headers (from its first byte; a slowloris client gets 408), sending a body, or sending
 * nothing between requests. Sits before the HTTP codec, seeing raw bytes; the request handler tells
 * it where each exchange stands.
 *
 * <p>One timer per connection, re-armed only when it fires: it fires no later than the deadline of
 * the current phase and at most every {@code min(header, idle)} timeout, so nothing is scheduled or
 * cancelled per request.
 */
final class ClientTimeouts extends ChannelInboundHandlerAdapter {
  private static final byte[] REQUEST_TIMEOUT =
      ("HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);

  private enum Phase {
    /** Between requests: nothing is owed. */
    WAITING,
    /** A request's first bytes arrived, its headers have not. */
    HEADERS,
    /** Headers read, body still arriving. */
    BODY,
    /** The request is read; the answer is the target's to give. */
    FORWARDING
  }

  private final long headerNanos;
  private final long idleNanos;
  private Phase phase = Phase.WAITING;
  private long phaseStart = System.nanoTime();
  private long lastRead = phaseStart;

  ClientTimeouts(Duration header, Duration idle) {
    this.headerNanos = header.toNanos();
    this.idleNanos = idle.toNanos();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    schedule(ctx, Math.min(headerNanos, idleNanos));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (phase == Phase.WAITING) {
      phase = Phase.HEADERS;
      phaseStart = System.nanoTime();
    } else if (phase == Phase.BODY) {
      lastRead = System.nanoTime();
    }
    ctx.fireChannelRead(msg);
  }

  /** The request's headers are read; the end of its body (perhaps empty) is still to come. */
  void headersRead() {
    phase = Phase.BODY;
    lastRead = System.nanoTime();
  }

  /** The request's body is read. */
  void bodyRead() {
    phase = Phase.FORWARDING;
  }

  /** The answer went out; the connection waits for the next request. */
  void exchangeEnded() {
    phase = Phase.WAITING;
    phaseStart = System.nanoTime();
  }

  private void check(ChannelHandlerContext ctx) {
    if (!ctx.channel().isOpen()) {
      return;
    }
    long now = System.nanoTime();
    long deadline =
        switch (phase) {
          case WAITING -> phaseStart + idleNanos;
          case HEADERS -> phaseStart + headerNanos;
          case BODY -> lastRead + idleNanos;
          case FORWARDING -> now + idleNanos;
        };
    long left = deadline - now;
    if (left > 0) {
      schedule(ctx, Math.min(left, Math.min(headerNanos, idleNanos)));
    } else if (phase == Phase.HEADERS) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(REQUEST_TIMEOUT))
          .addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
  }

  private void schedule(ChannelHandlerContext ctx, long nanos) {
    ctx.executor().schedule(() -> check(ctx), nanos, TimeUnit.NANOSECONDS);
  }
}
