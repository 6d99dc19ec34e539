package dev.splitter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitter.aws.AwsWorld;
import dev.splitter.aws.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --env} with an ALB + API Gateway environment, against moto_server: the command builds its
 * own clients from the environments file and the default credential chain.
 */
class AlbEnvironmentTest {
  @RegisterExtension static final MotoServer moto = new MotoServer();
  @RegisterExtension static final MotoCredentials credentials = new MotoCredentials();

  @TempDir Path home;
  private AwsWorld aws;

  @BeforeEach
  void world() throws IOException {
    aws =
        AwsSetup.world(
            moto, home, world -> "vpc_link_id: " + world.vpcLinkId + "\n    stickiness: 2h");
  }

  private CliRun run(String... args) {
    return CliRun.run(home, args);
  }

  @Test
  void deployGetDeleteOnAlb() throws IOException {
    String example = "../examples/traffic-splitter/cortex.yaml";
    Path splitterOnly = home.resolve("cortex.yaml");
    Files.writeString(
        splitterOnly,
        Files.readString(Path.of(example))
            .substring(Files.readString(Path.of(example)).indexOf("- name: traffic-splitter")));

    assertThat(run("validate", "--env", "aws", splitterOnly.toString()).code()).isZero();
    CliRun deploy = run("deploy", "--env", "aws", splitterOnly.toString());
    assertThat(deploy.code()).as(deploy.err()).isZero();
    assertThat(deploy.out())
        .isEqualTo("created traffic-splitter (TrafficSplitter)\nall targets are live\n");
    assertThat(aws.routeKeys()).containsExactly("ANY /traffic-splitter");

    JsonNode status =
        new ObjectMapper()
            .readTree(run("get", "--env", "aws", "traffic-splitter", "-o", "json").out());
    assertThat(status.get("endpoint").asText()).isEqualTo(aws.apiEndpoint + "/traffic-splitter");
    assertThat(status.get("apis").get(0).get("status").asText()).isEqualTo("live");
    assertThat(status.get("assignment").get("mode").asText()).isEqualTo("cookie");
    assertThat(status.get("assignment").get("stickiness_seconds").asLong()).isEqualTo(7200);

    assertThat(run("deploy", "--env", "aws", splitterOnly.toString()).out())
        .startsWith("traffic-splitter (TrafficSplitter) is up to date");
    assertThat(run("delete", "--env", "aws", "traffic-splitter").out())
        .isEqualTo("deleted traffic-splitter\n");
    assertThat(aws.rules()).isEmpty();
  }

  @Test
  void whatAlbCannotRouteIsRefusedWithItsPosition() throws IOException {
    Path shadow = home.resolve("shadow.yaml");
    Files.writeString(
        shadow,
        """
        - name: ts
          kind: TrafficSplitter
          apis:
            - {name: my-api, weight: 100}
            - {name: another-my-api, weight: 10, shadow: true}
        """);

    CliRun result = run("deploy", "--env", "aws", shadow.toString());

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo(
            shadow
                + ":5:50: ts: apis[1].shadow: the alb backend cannot mirror traffic to a shadow"
                + " api\n");
    assertThat(aws.rules()).isEmpty();
  }
}
