package dev.splitter.local.internal;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

/**
 * A copy of a request sent to the shadow target: its answer is read and dropped, its outcome only
 * counted. It never touches the caller's connection.
 */
final class ShadowRequest implements UpstreamPool.Lease, UpstreamConnection.Listener {
  /** What a mirrored exchange needs to send its copy once the body is read. */
  record Factory(
      UpstreamPool pool,
      HttpRequest caller,
      Forwarding.Peer peer,
      RegisteredApi api,
      String uri,
      TargetCounters counters) {

    /** Sends the copy; takes ownership of {@code body}. */
    void send(ByteBuf body) {
      counters.requested();
      pool.acquire(api, new ShadowRequest(this, body));
    }
  }

  private final Factory factory;
  private final long start = System.nanoTime();
  private @Nullable ByteBuf body;
  private @Nullable UpstreamConnection upstream;
  private int status;
  private boolean reusable;

  private ShadowRequest(Factory factory, ByteBuf body) {
    this.factory = factory;
    this.body = body;
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
                factory.caller(),
                factory.uri(),
                factory.api().address(),
                factory.peer(),
                whole.readableBytes()));
    connection.channel().writeAndFlush(new DefaultLastHttpContent(whole));
  }

  @Override
  public void failed(Throwable cause, int status) {
    end(status);
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
      }
      if (message instanceof LastHttpContent && status >= 200) {
        UpstreamConnection connection = upstream;
        upstream = null;
        end(status);
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
      end(code);
    }
  }

  private void end(int code) {
    factory.counters().answered(code, System.nanoTime() - start);
    if (body != null) {
      body.release();
      body = null;
    }
  }
}
