package dev.splitter.k8s.internal;

import dev.splitter.model.Assignment;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Regular expressions that match a target's buckets written as decimal numbers without leading
 * zeros, as a caller sends {@link Assignment#bucket}: what a mesh's header match needs, since it
 * cannot compare numbers. Each range becomes alternatives of a fixed number of digits, for example
 * 0-4999 becomes {@code [0-9]|[1-9][0-9]|[1-9][0-9]{2}|[1-4][0-9]{3}}. The syntax is the subset RE2
 * (Envoy, Istio) and Java share; the expression is anchored at both ends.
 */
@API(status = API.Status.INTERNAL)
public final class BucketPatterns {
  private BucketPatterns() {}

  /** The expression matching exactly the buckets of {@code target} in {@code assignment}. */
  public static String of(Assignment assignment, String target) {
    List<String> alternatives = new ArrayList<>();
    for (int[] range : assignment.ranges(target)) {
      alternatives.addAll(range(range[0], range[1]));
    }
    return "^(" + String.join("|", alternatives) + ")$";
  }

  /** Alternatives matching every number from {@code low} to {@code high}, and nothing else. */
  static List<String> range(int low, int high) {
    List<String> alternatives = new ArrayList<>();
    // Numbers of one length at a time: 0-9, 10-99, 100-999, 1000-9999.
    for (int digits = 1, first = 0, last = 9; first <= high; digits++) {
      if (last >= low) {
        String from = Integer.toString(Math.max(low, first));
        String to = Integer.toString(Math.min(high, last));
        alternatives.addAll(sameLength(from, to));
      }
      first = last + 1;
      last = last * 10 + 9;
    }
    return alternatives;
  }

  /** Alternatives for the digit strings from {@code from} to {@code to}, of one length. */
  private static List<String> sameLength(String from, String to) {
    List<String> alternatives = new ArrayList<>();
    if (from.equals(to)) {
      alternatives.add(from);
      return alternatives;
    }
    char lowHead = from.charAt(0);
    char highHead = to.charAt(0);
    String lowRest = from.substring(1);
    String highRest = to.substring(1);
    if (lowRest.isEmpty()) {
      alternatives.add(digitClass(lowHead, highHead));
      return alternatives;
    }
    if (lowHead == highHead) {
      for (String rest : sameLength(lowRest, highRest)) {
        alternatives.add(lowHead + rest);
      }
      return alternatives;
    }
    char middleFrom = lowHead;
    if (!isAll(lowRest, '0')) {
      for (String rest : sameLength(lowRest, "9".repeat(lowRest.length()))) {
        alternatives.add(lowHead + rest);
      }
      middleFrom++;
    }
    char middleTo = highHead;
    List<String> upper = new ArrayList<>();
    if (!isAll(highRest, '9')) {
      for (String rest : sameLength("0".repeat(highRest.length()), highRest)) {
        upper.add(highHead + rest);
      }
      middleTo--;
    }
    if (middleFrom <= middleTo) {
      int length = lowRest.length();
      alternatives.add(
          digitClass(middleFrom, middleTo) + "[0-9]" + (length > 1 ? "{" + length + "}" : ""));
    }
    alternatives.addAll(upper);
    return alternatives;
  }

  private static String digitClass(char from, char to) {
    return from == to ? String.valueOf(from) : "[" + from + "-" + to + "]";
  }

  private static boolean isAll(String digits, char digit) {
    return digits.chars().allMatch(c -> c == digit);
  }
}
