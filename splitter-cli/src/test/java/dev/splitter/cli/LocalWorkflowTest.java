package dev.splitter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Cortex workflow on a laptop, in this process: a serve in the background, then deploy, curl,
 * get and delete as separate commands through its admin endpoint, over loopback HTTP.
 */
class LocalWorkflowTest {
  @TempDir Path home;
  private Path file;
  private InProcessServe serve;

  @BeforeEach
  void startServe() throws Exception {
    serve = InProcessServe.example(home, "--poll", "100ms");
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
  void deployCurlGetDeleteAsSeparateCommands() throws Exception {
    Path changed = home.resolve("changed.yaml");
    Files.writeString(
        changed,
        Files.readString(file)
            .replace("weight: 20", "weight: 0")
            .replace("weight: 80", "weight: 100"));

    CliRun deploy = run("deploy", changed.toString());
    assertThat(deploy.code()).isZero();
    assertThat(deploy.out())
        .contains("updated traffic-splitter (TrafficSplitter)", "all targets are live");

    JsonNode status =
        new ObjectMapper().readTree(run("get", "traffic-splitter", "-o", "json").out());
    URI endpoint = URI.create(status.get("endpoint").asText());
    HttpResponse<String> answer =
        HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY)
            .build()
            .send(
                HttpRequest.newBuilder(endpoint)
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("x-splitter-api")).hasValue("another-my-api");

    CliRun table = run("get", "traffic-splitter");
    assertThat(table.out()).contains("another-my-api   100", "live", "endpoint: " + endpoint);
    assertThat(run("get").out()).contains("traffic-splitter", "my-api:0 another-my-api:100");
    assertThat(run("get", "-o", "yaml").out()).contains("- name: traffic-splitter");

    assertThat(run("deploy", "--dry-run", file.toString()).out())
        .isEqualTo(
            """
            would deploy my-api (RealtimeAPI) again
            would deploy another-my-api (RealtimeAPI) again
            would update traffic-splitter (TrafficSplitter)
              apis[my-api].weight: 0 -> 20
              apis[another-my-api].weight: 100 -> 80
              keys moving: 20.00% (to my-api 20.00%)
            """);
    assertThat(run("delete", "traffic-splitter").out()).isEqualTo("deleted traffic-splitter\n");
    CliRun gone = run("get", "traffic-splitter");
    assertThat(gone.code()).isEqualTo(1);
    assertThat(gone.err()).isEqualTo("error: traffic-splitter is not deployed\n");
  }

  @Test
  void aBadFileIsRefusedWithPositionsAndTheServeKeepsRunning() throws Exception {
    Path bad = home.resolve("bad.yaml");
    Files.writeString(bad, Files.readString(file).replace("weight: 80", "weight: 81"));

    CliRun deploy = run("deploy", bad.toString());

    assertThat(deploy.code()).isEqualTo(1);
    assertThat(deploy.err())
        .isEqualTo(
            bad
                + ":26:5: traffic-splitter: apis: expected weights of all non-shadow apis to sum"
                + " to 100 but found 101\n");
    assertThat(run("get", "traffic-splitter").code()).isZero();
  }

  @Test
  void aChangedFileIsRedeployedByTheServe() throws Exception {
    Files.writeString(
        file,
        Files.readString(file)
            .replace("weight: 20", "weight: 50")
            .replace("weight: 80", "weight: 50"));

    Instant deadline = Instant.now().plusSeconds(30);
    while (!run("get").out().contains("my-api:50") && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
    }
    assertThat(run("get").out()).contains("my-api:50 another-my-api:50");
  }

  @Test
  void theAdminEndpointRefusesAWrongToken() throws Exception {
    JsonNode info = new ObjectMapper().readTree(home.resolve("serve.json").toFile());
    HttpResponse<String> answer =
        HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY)
            .build()
            .send(
                HttpRequest.newBuilder(URI.create(info.get("admin").asText() + "/v1/splitters"))
                    .header("Authorization", "Bearer not-the-token")
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(Files.getPosixFilePermissions(home.resolve("serve.json")))
        .extracting(Object::toString)
        .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
  }
}
