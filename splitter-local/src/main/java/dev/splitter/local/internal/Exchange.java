package dev.splitter.local.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.ConnectException;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * One request forwarded to one target, and its answer relayed back, both streamed with
 * back-pressure: a full write buffer on one side stops reading on the other. Runs on the caller's
 * event loop, as does the upstream connection it leases.
 *
 * <p>How it ends decides what is counted and reused:
 *
 * <ul>
 *   <li>a whole answer: counted with its status; the upstream connection goes back to the pool if
 *       the request went out whole and the answer's framing is sure (never after a HEAD);
 *   <li>a target that fails before answering: 502 (504 if silent too long) to the caller;
 *   <li>a target that fails mid-answer: the caller's connection is closed without the answer's end,
 *       so the caller sees it broken, never whole; counted as 502 (504);
 *   <li>a caller that goes away: the upstream request is reset and its connection closed at once;
 *       counted as 499, neither 2XX nor 5XX.
 * </ul>
 */
final class Exchange implements UpstreamPool.Lease, UpstreamConnection.Listener {
  /** Body bytes held for a target not yet connected, before the caller is paused. */
  private static final int HELD_BYTES_BEFORE_PAUSE = 64 * 1024;

  private final ClientHandler client;
  private final ChannelHandlerContext ctx;
  private final HttpRequest request;
  private final Upstream target;
  private final long start = System.nanoTime();
  private final long maxBodyBytes;
  private final boolean keepAliveAsked;
  private final boolean http10;

  /** Buffered mode (chunked bodies and mirrored ones): the body, read whole before sending. */
  private final @Nullable CompositeByteBuf body;

  /** Streamed mode: body parts that arrived before the target's connection did. */
  private final ArrayDeque<HttpContent> held = new ArrayDeque<>(2);

  private int heldBytes;
  private @Nullable UpstreamConnection upstream;
  private boolean requestRead;
  private boolean requestSent;
  private boolean answerStarted;
  private boolean skippingInformational;
  private boolean reusable = true;
  private boolean answerKeepAlive;
  private boolean inCallersRead;
  private int status;
  private boolean ended;
  private boolean answerWhole;

  /** Where the answer goes to be compared with the shadow's; null when the request is not. */
  private final @Nullable AnswerSink compared;

  /**
   * The target's side of an exchange.
   *
   * @param api the registered API
   * @param uri its path with the caller's query
   * @param counters its counters in this splitter
   * @param pinned whether the request was pinned to it, counted apart from the split
   * @param shadow what to send the shadow, if this request is mirrored
   */
  record Upstream(
      RegisteredApi api,
      String uri,
      TargetCounters counters,
      boolean pinned,
      Outliers outliers,
      ShadowRequest.@Nullable Factory shadow) {}

  Exchange(
      ClientHandler client,
      ChannelHandlerContext ctx,
      HttpRequest request,
      Upstream target,
      boolean buffered,
      long maxBodyBytes) {
    this.client = client;
    this.ctx = ctx;
    this.request = request;
    this.target = target;
    this.maxBodyBytes = maxBodyBytes;
    // Read now: the request becomes the target's, HTTP/1.1, once a connection is leased.
    this.keepAliveAsked = HttpUtil.isKeepAlive(request);
    this.http10 = HttpVersion.HTTP_1_0.equals(request.protocolVersion());
    this.body = buffered ? ctx.alloc().compositeBuffer(Integer.MAX_VALUE) : null;
    this.compared = target.shadow() != null ? target.shadow().liveSink() : null;
    if (target.pinned()) {
      target.counters().pinned();
    } else {
      target.counters().requested();
    }
  }

  /** Starts connecting; a buffered body is sent once it is read whole. */
  void start(UpstreamPool pool) {
    if (body == null) {
      inCallersRead = true; // a pooled connection is leased at once; the caller's read flushes it
      pool.acquire(target.api(), this);
      inCallersRead = false;
    }
  }

  boolean requestRead() {
    return requestRead;
  }

  // ---- the caller's side

  /** A part of the caller's body; the exchange owns it. */
  void clientContent(HttpContent content, UpstreamPool pool) {
    if (ended) {
      content.release();
      return;
    }
    if (content.decoderResult().isFailure()) {
      content.release();
      abandon(
          400,
          GatewayError.REJECTED,
          "the request body is malformed: " + content.decoderResult().cause());
      return;
    }
    boolean last = content instanceof LastHttpContent;
    if (last) {
      requestRead = true;
    }
    CompositeByteBuf whole = body;
    if (whole != null) {
      buffer(whole, content, last, pool);
    } else if (upstream == null) {
      held.add(content);
      heldBytes += content.content().readableBytes();
      if (heldBytes > HELD_BYTES_BEFORE_PAUSE) {
        ctx.channel().config().setAutoRead(false);
      }
    } else {
      send(upstream, content);
    }
  }

  private void buffer(
      CompositeByteBuf whole, HttpContent content, boolean last, UpstreamPool pool) {
    ByteBuf part = content.content();
    if (whole.readableBytes() + (long) part.readableBytes() > maxBodyBytes) {
      content.release();
      abandon(
          413,
          GatewayError.REJECTED,
          "the request body is larger than the limit of " + maxBodyBytes + " bytes");
      return;
    }
    whole.addComponent(true, part.retain());
    content.release();
    if (last) {
      ShadowRequest.Factory shadow = target.shadow();
      if (shadow != null) {
        shadow.send(whole.retainedDuplicate());
      }
      pool.acquire(target.api(), this);
    }
  }

  /** The caller's read ended: what was written upstream goes out. */
  void clientReadComplete() {
    if (upstream != null && body == null) {
      upstream.channel().flush();
    }
  }

  /** The caller's write buffer drained: read from the target again. */
  void clientWritabilityChanged() {
    if (upstream != null && ctx.channel().isWritable()) {
      upstream.channel().config().setAutoRead(true);
    }
  }

  /** The caller went away: reset the target's request at once. */
  void clientClosed() {
    if (ended) {
      return;
    }
    end(499, GatewayError.CLIENT_CLOSED);
    closeUpstream();
  }

  // ---- the target's side

  @Override
  public void leased(UpstreamConnection connection) {
    if (ended) {
      client.pool().release(connection, true); // unused: the caller is gone
      return;
    }
    upstream = connection;
    connection.attach(this);
    Channel channel = connection.channel();
    long length = body != null ? body.readableBytes() : declaredLength();
    channel.write(
        Forwarding.request(request, target.uri(), target.api().address(), client.peer(), length),
        channel.voidPromise());
    if (body != null) {
      send(connection, new DefaultLastHttpContent(body));
    } else {
      HttpContent part;
      while ((part = held.poll()) != null) {
        send(connection, part);
      }
      if (heldBytes > HELD_BYTES_BEFORE_PAUSE && channel.isWritable()) {
        ctx.channel().config().setAutoRead(true);
      }
      heldBytes = 0;
    }
    if (!inCallersRead) {
      channel.flush(); // else the caller's read-complete flushes head and body in one write
    }
  }

  @Override
  public void failed(Throwable cause, int status) {
    if (ended) {
      return;
    }
    if (status == 502) {
      target.outliers().failed(target.api().name());
    }
    abandon(
        status,
        status == 503 ? GatewayError.BUSY : GatewayError.REFUSED,
        "api "
            + target.api().name()
            + (status == 503 ? " is busy: " + cause.getMessage() : " could not be reached: ")
            + (status == 503 ? "" : why(cause)));
  }

  @Override
  public void upstreamRead(Object message) {
    if (ended) {
      ReferenceCountUtil.release(message);
      return;
    }
    if (message instanceof HttpObject object && object.decoderResult().isFailure()) {
      ReferenceCountUtil.release(message);
      broken(502, "api " + target.api().name() + " sent an answer the gateway could not read");
      return;
    }
    if (message instanceof HttpResponse response) {
      if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
        skippingInformational = true; // a 1xx is the target's business; the caller waits for more
      } else {
        answerHead(response);
      }
    }
    if (message instanceof HttpContent content) {
      answerContent(content);
    } else if (!(message instanceof HttpResponse)) {
      ReferenceCountUtil.release(message);
    }
  }

  private void answerHead(HttpResponse response) {
    status = response.status().code();
    reusable = HttpUtil.isKeepAlive(response) && !HttpMethod.HEAD.equals(request.method());
    answerStarted = true;
    if (compared != null) {
      compared.head(status, response.headers().get(HttpHeaderNames.CONTENT_TYPE));
    }
    // An HTTP/1.0 caller cannot read chunks: an answer of unknown length ends with the connection.
    boolean lengthKnown = response.headers().contains(HttpHeaderNames.CONTENT_LENGTH);
    answerKeepAlive = keepAliveAsked && requestRead && (lengthKnown || !http10);
    ctx.write(
        Forwarding.response(
            response, target.api().name(), request.method(), answerKeepAlive, !http10));
  }

  private void answerContent(HttpContent content) {
    if (skippingInformational) {
      skippingInformational = !(content instanceof LastHttpContent);
      content.release();
      return;
    }
    if (compared != null) {
      compared.content(content.content());
    }
    target.counters().bodyBytes(content.content().readableBytes(), false);
    if (!(content instanceof LastHttpContent)) {
      ctx.write(content, ctx.voidPromise());
      if (!ctx.channel().isWritable() && upstream != null) {
        upstream.channel().config().setAutoRead(false);
      }
      return;
    }
    answerWhole = true;
    end(status, null);
    if (status == 502 || status == 503 || status == 504) {
      // A gateway failure behind the target (Envoy's consecutive gateway failures); a 500 is an
      // answer.
      target.outliers().failed(target.api().name());
    } else {
      target.outliers().succeeded(target.api().name());
    }
    UpstreamConnection connection = upstream;
    upstream = null;
    if (answerKeepAlive) {
      ctx.writeAndFlush(content, ctx.voidPromise());
      client.exchangeEnded();
    } else {
      client.closeAfter(ctx.writeAndFlush(content));
    }
    if (connection != null) {
      client.pool().release(connection, reusable && requestSent);
    }
  }

  @Override
  public void upstreamReadComplete() {
    ctx.flush();
  }

  @Override
  public void upstreamClosed() {
    broken(
        502, "api " + target.api().name() + " closed the connection before its answer was whole");
  }

  @Override
  public void upstreamTimedOut() {
    broken(504, "api " + target.api().name() + " did not answer in time");
  }

  @Override
  public void upstreamWritabilityChanged() {
    if (upstream != null && upstream.channel().isWritable() && !requestRead) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  // ---- endings

  /** The target failed: an error answer if none started, else a caller's connection cut short. */
  private void broken(int code, String message) {
    if (ended) {
      return;
    }
    target.outliers().failed(target.api().name());
    closeUpstream();
    if (answerStarted) {
      end(code, GatewayError.CUT_SHORT);
      ctx.close(); // no last chunk, no full length: the caller sees the answer broken
      client.exchangeAborted();
    } else {
      abandon(code, code == 504 ? GatewayError.TIMEOUT : GatewayError.RESET, message);
    }
  }

  /** Ends before any answer went out: the gateway answers in the target's stead. */
  private void abandon(int code, GatewayError error, String message) {
    end(code, error);
    closeUpstream();
    client.answerError(code, message, requestRead && keepAliveAsked);
  }

  /**
   * @param error why the gateway ended it without the target's whole answer; null when it had it
   */
  private void end(int code, @Nullable GatewayError error) {
    ended = true;
    long nanos = System.nanoTime() - start;
    if (!target.pinned()) {
      target.counters().answered(code, nanos);
      if (error != null) {
        target.counters().failed(error);
      }
    }
    if (compared != null) {
      compared.ended(code, nanos, answerWhole);
    }
    releaseBody();
  }

  private void closeUpstream() {
    UpstreamConnection connection = upstream;
    upstream = null;
    if (connection != null) {
      client.pool().release(connection, false);
    }
  }

  private void releaseBody() {
    if (body != null && body.refCnt() > 0 && !requestSent) {
      body.release();
    }
    HttpContent part;
    while ((part = held.poll()) != null) {
      part.release();
    }
  }

  private void send(UpstreamConnection connection, HttpContent content) {
    Channel channel = connection.channel();
    connection.wrote();
    target.counters().bodyBytes(content.content().readableBytes(), true);
    if (content instanceof LastHttpContent) {
      requestSent = true;
    }
    channel.write(content, channel.voidPromise());
    if (!channel.isWritable()) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  /** A connect failure in words, without the target's address: callers see the API's name. */
  private static String why(Throwable cause) {
    if (cause instanceof ConnectTimeoutException) {
      return "no connection within the connect timeout";
    }
    if (cause instanceof ConnectException) {
      return "connection refused";
    }
    return "connection failed (" + cause.getClass().getSimpleName() + ")";
  }

  private long declaredLength() {
    return HttpUtil.isContentLengthSet(request) ? HttpUtil.getContentLength(request, -1L) : -1;
  }
}
