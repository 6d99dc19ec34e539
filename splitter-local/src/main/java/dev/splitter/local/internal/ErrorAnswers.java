package dev.splitter.local.internal;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.json.JsonObject;

/** The gateway's own answers: JSON naming what went wrong, never a target's host or port. */
final class ErrorAnswers {
  private ErrorAnswers() {}

  /**
   * {@code {"error": message, "status": status}}.
   *
   * @param close whether the connection closes after it (said in {@code Connection})
   */
  static FullHttpResponse of(
      ByteBufAllocator allocator, int status, String message, boolean close) {
    String json = new JsonObject().put("error", message).put("status", status).encode();
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(status),
            ByteBufUtil.writeUtf8(allocator, json));
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    if (close) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return response;
  }
}
