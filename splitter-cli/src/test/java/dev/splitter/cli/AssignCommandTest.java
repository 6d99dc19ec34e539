package dev.splitter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitter.model.Assignment;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A keyed A/B test from the command line: a serve keyed by {@code x-user-id}, requests that carry
 * it, and {@code assign} giving the same targets, from the serve and offline.
 */
class AssignCommandTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

  @TempDir Path home;
  private Path file;
  private InProcessServe serve;

  @BeforeEach
  void startServe() throws Exception {
    serve = InProcessServe.example(home, "--key-header", "x-user-id");
    file = home.resolve("cortex.yaml");
  }

  @AfterEach
  void stopServe() throws Exception {
    serve.stop();
  }

  private CliRun run(String... args) {
    return CliRun.run(home, args);
  }

  @Test
  void assignGivesTheTargetEachKeyedRequestReaches() throws Exception {
    JsonNode status =
        new ObjectMapper().readTree(run("get", "traffic-splitter", "-o", "json").out());
    JsonNode assignment = status.get("assignment");
    assertThat(assignment.get("mode").asText()).isEqualTo("key");
    assertThat(assignment.get("header").asText()).isEqualTo("x-user-id");
    assertThat(assignment.get("buckets").asText())
        .isEqualTo("my-api=0-1999 another-my-api=2000-9999");
    assertThat(run("get", "traffic-splitter").out())
        .contains("assignment: by key: header x-user-id")
        .contains("buckets: my-api=0-1999 another-my-api=2000-9999");

    URI endpoint = URI.create(status.get("endpoint").asText());
    List<String> keys = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String key = "user-" + i;
      keys.add(key);
      expected.add(
          key + "\t" + Assignment.bucket("traffic-splitter", key) + "\t" + answerer(endpoint, key));
    }

    List<String> args = new ArrayList<>(List.of("assign", "traffic-splitter"));
    args.addAll(keys);
    CliRun fromServe = run(args.toArray(String[]::new));
    assertThat(fromServe.code()).isZero();
    assertThat(fromServe.out().lines()).containsExactlyElementsOf(expected);

    Path keysFile = home.resolve("keys.txt");
    Files.write(keysFile, keys);
    assertThat(
            run(
                    "assign",
                    "traffic-splitter",
                    "--keys",
                    keysFile.toString(),
                    "--file",
                    file.toString())
                .out()
                .lines())
        .containsExactlyElementsOf(expected);
    assertThat(
            run(
                    "assign",
                    "traffic-splitter",
                    "--keys",
                    keysFile.toString(),
                    "--buckets",
                    assignment.get("buckets").asText())
                .out()
                .lines())
        .containsExactlyElementsOf(expected);
  }

  @Test
  void wrongUsesSayWhatIsWrong() {
    CliRun both =
        run("assign", "traffic-splitter", "k", "--file", file.toString(), "--buckets", "a=0-9999");
    assertThat(both.code()).isEqualTo(1);
    assertThat(both.err()).contains("give --file or --buckets, not both");

    CliRun noKeys = run("assign", "traffic-splitter");
    assertThat(noKeys.err()).contains("give at least one KEY, or --keys FILE");

    CliRun badLayout = run("assign", "traffic-splitter", "k", "--buckets", "a=0-4999");
    assertThat(badLayout.err())
        .contains("--buckets: not a bucket layout (bucket 5000 has no owner)");

    CliRun elsewhere = run("assign", "nosuch", "k", "--file", file.toString());
    assertThat(elsewhere.err()).contains("no traffic splitter nosuch in");

    CliRun noFile =
        run("assign", "traffic-splitter", "--keys", home.resolve("none.txt").toString());
    assertThat(noFile.err())
        .isEqualTo("error: --keys: no such file: " + home.resolve("none.txt") + "\n");

    CliRun notDeployed = run("assign", "nosuch", "k");
    assertThat(notDeployed.err()).contains("nosuch is not deployed");
  }

  @Test
  void keysComeFromStandardInputWithADash() {
    InputStream stdin = System.in;
    try {
      System.setIn(new ByteArrayInputStream("user-1\n\nuser-2\n".getBytes(StandardCharsets.UTF_8)));
      CliRun piped = run("assign", "traffic-splitter", "--keys", "-", "--buckets", "a=0-9999");
      assertThat(piped.out().lines())
          .containsExactly(
              "user-1\t" + Assignment.bucket("traffic-splitter", "user-1") + "\ta",
              "user-2\t" + Assignment.bucket("traffic-splitter", "user-2") + "\ta");
    } finally {
      System.setIn(stdin);
    }
  }

  private static String answerer(URI endpoint, String key) throws Exception {
    HttpResponse<String> answer =
        HTTP.send(
            HttpRequest.newBuilder(endpoint)
                .header("x-user-id", key)
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(200);
    return answer.headers().firstValue("x-splitter-api").orElseThrow();
  }
}
