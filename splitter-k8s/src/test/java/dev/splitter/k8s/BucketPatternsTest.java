package dev.splitter.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitter.k8s.internal.BucketPatterns;
import dev.splitter.model.Assignment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BucketPatternsTest {

  @Test
  void aTargetsExpressionMatchesItsBucketsAndNothingElse() {
    Random random = new Random(5);
    for (int layout = 0; layout < 200; layout++) {
      List<Integer> cuts = new ArrayList<>(List.of(0, Assignment.BUCKETS));
      for (int i = random.nextInt(6); i > 0; i--) {
        cuts.add(random.nextInt(Assignment.BUCKETS));
      }
      List<Integer> bounds = cuts.stream().distinct().sorted().toList();
      StringBuilder a = new StringBuilder("a=");
      StringBuilder b = new StringBuilder("b=");
      for (int i = 0; i + 1 < bounds.size(); i++) {
        StringBuilder owner = i % 2 == 0 ? a : b;
        owner.append(owner.length() > 2 ? "," : "").append(bounds.get(i)).append('-');
        owner.append(bounds.get(i + 1) - 1);
      }
      String text = b.length() > 2 ? a + " " + b : a.toString();
      Assignment assignment = Assignment.decode("s", text);
      Pattern pattern = Pattern.compile(BucketPatterns.of(assignment, "a"));
      for (int bucket = 0; bucket < Assignment.BUCKETS; bucket++) {
        assertThat(pattern.matcher(Integer.toString(bucket)).matches())
            .as("%d in %s", bucket, text)
            .isEqualTo(assignment.ownerOf(bucket).equals("a"));
      }
      for (String notABucket : List.of("", "00", "01", "0042", "10000", "-1", "1e3", " 1")) {
        assertThat(pattern.matcher(notABucket).matches()).as("'%s'", notABucket).isFalse();
      }
    }
  }

  @Test
  void halfTheBucketsReadAsPeopleWouldWriteThem() {
    Assignment halves = Assignment.decode("s", "a=0-4999 b=5000-9999");
    assertThat(BucketPatterns.of(halves, "a"))
        .isEqualTo("^([0-9]|[1-9][0-9]|[1-9][0-9]{2}|[1-4][0-9]{3})$");
    assertThat(BucketPatterns.of(halves, "b")).isEqualTo("^([5-9][0-9]{3})$");
  }
}
