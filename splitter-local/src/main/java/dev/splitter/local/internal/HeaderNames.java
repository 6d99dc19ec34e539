package dev.splitter.local.internal;

import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;

/**
 * A fixed set of header names, matched without case and without allocating: this runs for every
 * header of every request and answer. Names are bucketed by length, so most lookups compare
 * nothing.
 */
final class HeaderNames {
  private final AsciiString[][] byLength;

  HeaderNames(String... names) {
    int longest = 0;
    for (String name : names) {
      longest = Math.max(longest, name.length());
    }
    List<List<AsciiString>> buckets = new ArrayList<>();
    for (int i = 0; i <= longest; i++) {
      buckets.add(new ArrayList<>());
    }
    for (String name : names) {
      buckets.get(name.length()).add(AsciiString.cached(name));
    }
    byLength = new AsciiString[longest + 1][];
    for (int i = 0; i <= longest; i++) {
      byLength[i] = buckets.get(i).toArray(new AsciiString[0]);
    }
  }

  boolean contains(CharSequence name) {
    if (name.length() >= byLength.length) {
      return false;
    }
    for (AsciiString candidate : byLength[name.length()]) {
      if (candidate.contentEqualsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }
}
