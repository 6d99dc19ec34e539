package dev.splitter.local.internal;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

/**
 * A copy of a request sent to the shadow target (or, for a noise sample, to the live target again):
 * its answer is read and, when the splitter compares shadows, handed to the pair's leg; its outcome
 * counted in the shadow's figures. It never touches the caller's connection.
 */
final class ShadowRequest implements UpstreamPool.Lease, UpstreamConnection.Listener {
  /**
   * What a mirrored exchange needs to send its copies once the body is read.
   *
   * @param live the live target and its URI, for a noise sample's second copy
   * @param pair where the answers go to be compared; null when the splitter does not compare
   */
  record Factory(
      UpstreamPool pool,
      HttpRequest caller,
      Forwarding.Peer peer,
      RegisteredApi api,
      String uri,
      TargetCounters counters,
      RegisteredApi live,
      String liveUri,
      @Nullable ShadowPair pair) {

    /** Sends the copies; takes ownership of {@code body}. */
    void send(ByteBuf body) {
      counters.requested();
      ShadowPair compared = pair;
      if (compared == null) {
        pool.acquire(api, new ShadowRequest(this, api, uri, body, counters, null));
        return;
      }
      compared.request(body);
      compared.target.ledger().mirrored();
      ShadowPair.Leg noise = compared.noise;
      if (noise != null) {
        // Not counted in the live target's figures: the caller never sees this answer.
        pool.acquire(
            live, new ShadowRequest(this, live, liveUri, body.retainedDuplicate(), null, noise));
      }
      pool.acquire(api, new ShadowRequest(this, api, uri, body, counters, compared.shadow));
    }

    /** Where the live exchange reports its answer; null when the splitter does not compare. */
    @Nullable AnswerSink liveSink() {
      return pair != null ? pair.live : null;
    }
  }

  private final Factory factory;
  private final RegisteredApi api;
  private final String uri;
  private final @Nullable TargetCounters counters;
  private final @Nullable AnswerSink sink;
  private final long start = System.nanoTime();
  private @Nullable ByteBuf body;
  private @Nullable UpstreamConnection upstream;
  private int status;
  private boolean reusable;

  private ShadowRequest(
      Factory factory,
      RegisteredApi api,
      String uri,
      ByteBuf body,
      @Nullable TargetCounters counters,
      @Nullable AnswerSink sink) {
    this.factory = factory;
    this.api = api;
    this.uri = uri;
    this.body = body;
    this.counters = counters;
    this.sink = sink;
  }

  @Override
  public void leased(UpstreamConnection connection) {
    upstream = connection;
    connection.attach(this);
    ByteBuf whole = body;
    body = null;
    if (whole == null) {
      return;
    }
    connection
        .channel()
        .write(
            Forwarding.request(
                factory.caller(), uri, api.address(), factory.peer(), whole.readableBytes()));
    connection.channel().writeAndFlush(new DefaultLastHttpContent(whole));
  }

  @Override
  public void failed(Throwable cause, int status) {
    end(status, status == 503 ? GatewayError.BUSY : GatewayError.REFUSED);
  }

  @Override
  public void upstreamRead(Object message) {
    try {
      if (message instanceof HttpObject object && object.decoderResult().isFailure()) {
        closeWith(502);
        return;
      }
      if (message instanceof HttpResponse response) {
        status = response.status().code();
        reusable = HttpUtil.isKeepAlive(response) && status >= 200;
        if (sink != null && status >= 200) {
          sink.head(status, response.headers().get(HttpHeaderNames.CONTENT_TYPE));
        }
      }
      if (sink != null && status >= 200 && message instanceof HttpContent content) {
        sink.content(content.content());
      }
      if (message instanceof LastHttpContent && status >= 200) {
        UpstreamConnection connection = upstream;
        upstream = null;
        end(status, null);
        if (connection != null) {
          factory.pool().release(connection, reusable);
        }
      }
    } finally {
      ReferenceCountUtil.release(message);
    }
  }

  @Override
  public void upstreamReadComplete() {}

  @Override
  public void upstreamClosed() {
    closeWith(502);
  }

  @Override
  public void upstreamTimedOut() {
    closeWith(504);
  }

  @Override
  public void upstreamWritabilityChanged() {}

  private void closeWith(int code) {
    UpstreamConnection connection = upstream;
    upstream = null;
    if (connection != null) {
      factory.pool().release(connection, false);
      boolean started = status >= 200;
      end(
          code,
          started
              ? GatewayError.CUT_SHORT
              : code == 504 ? GatewayError.TIMEOUT : GatewayError.RESET);
    }
  }

  /**
   * @param error why the copy ended without the whole answer; null when it had it
   */
  private void end(int code, @Nullable GatewayError error) {
    long nanos = System.nanoTime() - start;
    if (counters != null) {
      counters.answered(code, nanos);
      if (error != null) {
        counters.failed(error);
      }
    }
    if (sink != null) {
      sink.ended(code, nanos, error == null);
    }
    if (body != null) {
      body.release();
      body = null;
    }
  }
}
