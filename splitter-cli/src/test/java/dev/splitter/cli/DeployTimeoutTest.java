package dev.splitter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy --timeout} is a deadline whatever the size of the file: 2,000 splitters whose
 * target never becomes live, on a serve in this process.
 */
class DeployTimeoutTest {
  private static final int SPLITTERS = 2_000;

  @TempDir Path home;
  private InProcessServe serve;
  private Path file;

  @BeforeEach
  void startServe() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    StringBuilder yaml = new StringBuilder("- {name: down-api, kind: RealtimeAPI}\n");
    for (int i = 0; i < SPLITTERS; i++) {
      yaml.append("- {name: ts-")
          .append(i)
          .append(", kind: TrafficSplitter, networking: {api_gateway: none},")
          .append(" apis: [{name: down-api, weight: 100}]}\n");
    }
    file = Files.writeString(home.resolve("many.yaml"), yaml);
    Path idle = Files.writeString(home.resolve("idle.yaml"), "[]\n");
    serve =
        InProcessServe.start(
            home,
            "serve",
            idle.toString(),
            "--api",
            "down-api=http://127.0.0.1:" + closed + "/",
            "--port",
            "0");
  }

  @AfterEach
  void stopServe() throws Exception {
    serve.stop();
  }

  @Test
  void theTimeoutHoldsForThousandsOfSplittersAndAnUnchangedRedeploy() {
    for (int round = 0; round < 2; round++) { // the second deploy changes nothing
      Instant start = Instant.now();
      CliRun deploy = CliRun.run(home, "deploy", file.toString(), "--timeout=2s");
      Duration took = Duration.between(start, Instant.now());

      assertThat(deploy.code()).isEqualTo(1);
      assertThat(deploy.err())
          .endsWith(
              "error: timed out after 2s waiting for down-api (error) (the deploy itself"
                  + " stands)\n");
      // The deploy of 2,000 splitters itself, then the 2 s wait; not a GET per splitter per poll.
      assertThat(took).as("took " + took).isLessThan(Duration.ofSeconds(20));
    }
    assertThat(CliRun.run(home, "get").out()).contains("ts-1999");
  }
}
