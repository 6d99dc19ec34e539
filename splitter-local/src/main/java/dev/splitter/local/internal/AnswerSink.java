package dev.splitter.local.internal;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/** Where an exchange reports the answer it relays or reads, for a shadow comparison. */
interface AnswerSink {
  /** The answer's status line and content type arrived. */
  void head(int status, @Nullable String contentType);

  /** A part of the answer's body; read, not consumed or released. */
  void content(ByteBuf part);

  /**
   * The exchange ended.
   *
   * @param status the answer's status, or the gateway's own (502, 504, 499) when it was not whole
   * @param nanos from the request's start to the answer's end
   * @param whole whether the target's whole answer was read
   */
  void ended(int status, long nanos, boolean whole);
}
