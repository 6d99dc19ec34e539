package dev.splitter.local.internal;

import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/** JSON Pointers (RFC 6901): parsed into segments, and written from them. */
@API(status = API.Status.INTERNAL)
public final class JsonPointers {
  private JsonPointers() {}

  /**
   * The segments of a pointer, unescaped ({@code ~1} is {@code /}, {@code ~0} is {@code ~}).
   *
   * @throws IllegalArgumentException if it does not start with {@code /}; the whole document's
   *     pointer ({@code ""}) is refused too, as ignoring it would ignore everything
   */
  public static List<String> parse(String pointer) {
    if (!pointer.startsWith("/")) {
      throw new IllegalArgumentException(
          "not a JSON Pointer: \"" + pointer + "\" (one starts with /, such as /meta/timestamp)");
    }
    List<String> segments = new ArrayList<>();
    for (String raw : pointer.substring(1).split("/", -1)) {
      segments.add(raw.replace("~1", "/").replace("~0", "~"));
    }
    return List.copyOf(segments);
  }

  /** One more segment on a pointer, escaped. */
  static String append(String pointer, String segment) {
    return pointer + "/" + segment.replace("~", "~0").replace("/", "~1");
  }
}
