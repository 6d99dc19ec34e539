package dev.splitter.aws.internal;

import java.util.regex.Pattern;
import org.apiguardian.api.API;

/** ALB path patterns: case-sensitive, {@code *} for any characters, {@code ?} for one. */
@API(status = API.Status.INTERNAL)
public final class PathPatterns {
  private PathPatterns() {}

  /** Whether a request for {@code path} matches {@code pattern}. */
  public static boolean matches(String pattern, String path) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '*' || c == '?') {
        regex.append(Pattern.quote(literal.toString())).append(c == '*' ? ".*" : ".");
        literal.setLength(0);
      } else {
        literal.append(c);
      }
    }
    regex.append(Pattern.quote(literal.toString()));
    return Pattern.matches(regex.toString(), path);
  }
}
