package dev.splitter.model.internal;

import dev.splitter.InvalidConfigException;
import dev.splitter.model.SourcePosition;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apiguardian.api.API;

/** Strict UTF-8 decoding that says where the first bad byte is, as a line and column. */
@API(status = API.Status.INTERNAL)
public final class Utf8 {
  private Utf8() {}

  /**
   * The text of {@code bytes}.
   *
   * @throws InvalidConfigException at the first byte that is not UTF-8
   */
  public static String decode(byte[] bytes, String source) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      throw Problems.fatal(
          source,
          positionOf(out),
          "file.encoding",
          String.format(
              Locale.ROOT, "the file is not valid UTF-8 (byte 0x%02X)", bytes[in.position()]));
    }
    return out.flip().toString();
  }

  /** Where the text decoded so far ends: the bad byte's line and column, 1-based. */
  private static SourcePosition positionOf(CharBuffer decoded) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < decoded.position(); i++) {
      if (decoded.get(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new SourcePosition(line, column);
  }
}
