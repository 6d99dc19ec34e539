package dev.splitter.local.internal;

import dev.splitter.model.TargetApi;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One caller's connection: reads its requests one at a time, routes each to a target by the
 * splitter's weights, and hands it to an {@link Exchange}. Pipelined requests wait their turn.
 *
 * <p>Methods a splitter endpoint accepts: GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS (a model
 * server may serve any of them); CONNECT and TRACE get 405. After an error the gateway answers
 * itself before the body is read (404, 405, 413, 417, or a refused header), it closes the
 * connection after at most {@value #DISCARD_LIMIT} bytes or {@value #LINGER_MILLIS} ms more of the
 * body, rather than reading a body nobody wants.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ClientHandler.class);
  private static final Set<HttpMethod> ALLOWED =
      Set.of(
          HttpMethod.GET,
          HttpMethod.HEAD,
          HttpMethod.POST,
          HttpMethod.PUT,
          HttpMethod.PATCH,
          HttpMethod.DELETE,
          HttpMethod.OPTIONS);
  private static final String ALLOW_HEADER = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
  static final int DISCARD_LIMIT = 1024 * 1024;
  static final long LINGER_MILLIS = 2_000;

  private final GatewaySettings settings;
  private final UpstreamPool pool;
  private final ClientTimeouts timeouts;
  private final ClientConnections.ClientState state;
  private final ArrayDeque<Object> pipelined = new ArrayDeque<>();
  private @Nullable ChannelHandlerContext ctx;
  private @Nullable Exchange exchange;
  private Forwarding.Peer peer = Forwarding.Peer.of("unknown");
  private boolean closing;
  private long discarded;

  ClientHandler(
      GatewaySettings settings,
      UpstreamPool pool,
      ClientTimeouts timeouts,
      ClientConnections.ClientState state) {
    this.settings = settings;
    this.pool = pool;
    this.timeouts = timeouts;
    this.state = state;
  }

  UpstreamPool pool() {
    return pool;
  }

  /** The caller, as the gateway saw it. */
  Forwarding.Peer peer() {
    return peer;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    SocketAddress remote = ctx.channel().remoteAddress();
    if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
      peer = Forwarding.Peer.of(inet.getAddress().getHostAddress());
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closing) {
      discard(ctx, msg);
      return;
    }
    Exchange current = exchange;
    if (current != null && !current.requestRead() && msg instanceof HttpContent content) {
      if (content instanceof LastHttpContent) {
        timeouts.bodyRead();
      }
      current.clientContent(content, pool);
      return;
    }
    if (current != null) {
      pipelined.add(msg); // the next request waits until this answer is out
      ctx.channel().config().setAutoRead(false);
      return;
    }
    if (msg instanceof HttpRequest request) {
      begin(ctx, request);
    } else {
      ReferenceCountUtil.release(msg); // the rest of a request already answered
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (exchange != null) {
      exchange.clientReadComplete();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (exchange != null) {
      exchange.clientWritabilityChanged();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Exchange current = exchange;
    exchange = null;
    if (current != null) {
      current.clientClosed();
    }
    pipelined.forEach(ReferenceCountUtil::release);
    pipelined.clear();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A caller that resets or goes away is ordinary; only the unexpected is worth a stack trace.
    if (cause instanceof IOException) {
      LOG.debug("caller {} failed", peer.address(), cause);
    } else {
      LOG.warn("caller {} failed", peer.address(), cause);
    }
    ctx.close();
  }

  private void begin(ChannelHandlerContext ctx, HttpRequest request) {
    timeouts.headersRead();
    DecoderResult decoded = request.decoderResult();
    if (decoded.isFailure()) {
      refuse(statusFor(decoded.cause()), "the request is malformed: " + message(decoded));
      return;
    }
    if (!ALLOWED.contains(request.method())) {
      refuse(405, "a splitter endpoint accepts " + ALLOW_HEADER);
      return;
    }
    String uri = request.uri();
    String path = RequestTargets.path(uri);
    Optional<Route> found = settings.routes().get().forPath(path);
    if (found.isEmpty()) {
      refuse(404, "no traffic splitter at " + path + hint(path));
      return;
    }
    long declared = HttpUtil.getContentLength(request, -1L);
    if (declared > settings.maxBodyBytes()) {
      refuse(413, tooLarge());
      return;
    }
    String expect = request.headers().get(HttpHeaderNames.EXPECT);
    if (expect != null && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect)) {
      refuse(417, "the only expectation the gateway meets is 100-continue");
      return;
    }
    Route route = found.get();
    RandomGenerator draw = settings.random().get();
    String pin = settings.pinning() ? request.headers().get(Forwarding.API_HEADER) : null;
    Optional<String> pinnedTo = route.pinned(pin);
    String apiName = pinnedTo.orElseGet(() -> pick(request, route, draw));
    boolean pinned = pinnedTo.isPresent();
    Optional<RegisteredApi> api = settings.catalog().api(apiName);
    if (api.isEmpty()) {
      TargetCounters counters = settings.metrics().counters(route.spec().name(), apiName);
      if (pinned) {
        counters.pinned();
      } else {
        counters.requested();
        counters.answered(502, 0);
      }
      refuse(502, "api " + apiName + " is not registered with the local gateway");
      return;
    }
    String query = RequestTargets.query(uri);
    RegisteredApi target = api.get();
    ShadowRequest.Factory shadow =
        route.mirrorTo(draw).map(s -> shadow(request, route, s, target, draw)).orElse(null);
    boolean buffered = shadow != null || HttpUtil.isTransferEncodingChunked(request);
    Exchange started =
        new Exchange(
            this,
            ctx,
            request,
            new Exchange.Upstream(
                target,
                target.target(query),
                settings.metrics().counters(route.spec().name(), apiName),
                pinned,
                settings.outliers(),
                shadow),
            buffered,
            settings.maxBodyBytes());
    exchange = started;
    state.busy();
    if (expect != null) {
      ctx.writeAndFlush(
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
    started.start(pool);
  }

  /** The target by the request's key, when it carries one; else by weight, at random. */
  private String pick(HttpRequest request, Route route, RandomGenerator draw) {
    Set<String> ejected = settings.outliers().ejected();
    String key = request.headers().get(settings.keyHeader());
    if (key == null || key.isEmpty()) {
      return route.pick(draw, ejected);
    }
    settings.metrics().keyed(route.spec().name());
    // Netty holds a header's bytes one char each: ISO-8859-1 gives back the bytes the caller sent
    // (UTF-8, for a key that Assignment.bucket hashes as a String).
    return route.keyed(key.getBytes(StandardCharsets.ISO_8859_1), ejected);
  }

  private ShadowRequest.@Nullable Factory shadow(
      HttpRequest request,
      Route route,
      TargetApi shadow,
      RegisteredApi live,
      RandomGenerator draw) {
    Optional<RegisteredApi> api = settings.catalog().api(shadow.name());
    TargetCounters counters = settings.metrics().counters(route.spec().name(), shadow.name());
    if (api.isEmpty()) {
      counters.requested();
      counters.answered(502, 0);
      return null;
    }
    RegisteredApi target = api.get();
    String query = RequestTargets.query(request.uri());
    return new ShadowRequest.Factory(
        pool,
        Forwarding.copy(request), // the caller's own becomes the live target's request
        peer,
        target,
        target.target(query),
        counters,
        live,
        live.target(query),
        settings
            .shadows()
            .pair(
                route.spec().name(),
                live.name(),
                shadow.name(),
                request.method().name(),
                request.uri(),
                draw));
  }

  /** The exchange's answer is out, and the caller's connection closes once it is written. */
  void closeAfter(ChannelFuture lastWrite) {
    exchange = null;
    state.idle();
    closing = true;
    lastWrite.addListener(ChannelFutureListener.CLOSE);
  }

  /** The exchange's answer went out whole; the connection serves the next request. */
  void exchangeEnded() {
    exchange = null;
    state.idle();
    timeouts.exchangeEnded();
    ChannelHandlerContext context = ctx;
    if (context == null) {
      return;
    }
    // Requests that arrived while this one was answered go first, one exchange at a time.
    Object next;
    while (!closing && (next = pipelined.peek()) != null) {
      Exchange current = exchange;
      if (current != null && current.requestRead()) {
        current.clientReadComplete(); // no socket read ends this batch: flush it here
        return; // the rest waits for this answer; reading stays paused
      }
      pipelined.poll();
      channelRead(context, next);
    }
    if (exchange != null) {
      exchange.clientReadComplete();
    }
    context.channel().config().setAutoRead(true);
  }

  /** The exchange cut the caller's connection: nothing more is read from it. */
  void exchangeAborted() {
    exchange = null;
    closing = true;
  }

  /**
   * The gateway answers in a target's stead.
   *
   * @param keepAlive whether the request was read whole and the caller keeps its connection
   */
  void answerError(int status, String message, boolean keepAlive) {
    ChannelHandlerContext context = ctx;
    exchange = null;
    if (context == null) {
      return;
    }
    ChannelFuture written =
        context.writeAndFlush(ErrorAnswers.of(context.alloc(), status, message, !keepAlive));
    if (keepAlive) {
      exchangeEnded();
    } else {
      state.idle();
      lingerThenClose(context, written);
    }
  }

  /** Answers a request the gateway will not forward, and closes: its body, if any, is not read. */
  private void refuse(int status, String message) {
    ChannelHandlerContext context = ctx;
    if (context == null) {
      return;
    }
    var answer = ErrorAnswers.of(context.alloc(), status, message, true);
    if (status == 405) {
      answer.headers().set(HttpHeaderNames.ALLOW, ALLOW_HEADER);
    }
    lingerThenClose(context, context.writeAndFlush(answer));
  }

  /**
   * Closes after an answer sent before the request was read whole: the write side at once, then the
   * connection once the caller stops sending, or after a bounded amount more, so that the caller
   * reads the answer rather than a reset.
   */
  private void lingerThenClose(ChannelHandlerContext context, ChannelFuture written) {
    closing = true;
    context.channel().config().setAutoRead(true);
    written.addListener(
        done -> {
          if (context.channel() instanceof DuplexChannel duplex && done.isSuccess()) {
            duplex.shutdownOutput();
            context
                .executor()
                .schedule(() -> context.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
          } else {
            context.close();
          }
        });
  }

  private void discard(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBufHolder holder) {
      discarded += holder.content().readableBytes();
    }
    ReferenceCountUtil.release(msg);
    if (discarded > DISCARD_LIMIT) {
      ctx.close();
    }
  }

  private String tooLarge() {
    return "the request body is larger than the limit of " + settings.maxBodyBytes() + " bytes";
  }

  /**
   * Endpoints match exactly, as Cortex's did; a trailing slash is a different path, so the 404 says
   * which endpoint was probably meant.
   */
  private String hint(String path) {
    if (path.length() > 1 && path.endsWith("/")) {
      String trimmed = path.substring(0, path.length() - 1);
      if (settings.routes().get().forPath(trimmed).isPresent()) {
        return " (endpoints match exactly: did you mean " + trimmed + "?)";
      }
    }
    return "";
  }

  private static int statusFor(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return 414;
    }
    return cause instanceof TooLongHttpHeaderException ? 431 : 400;
  }

  private static String message(DecoderResult decoded) {
    return String.valueOf(decoded.cause().getMessage());
  }
}
