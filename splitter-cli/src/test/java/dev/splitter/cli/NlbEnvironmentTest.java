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
 * {@code --env} with an NLB environment ({@code backend: nlb}), against moto_server: a listener per
 * splitter, its address in {@code get}, what a TCP listener cannot route refused at its position.
 */
class NlbEnvironmentTest {
  @RegisterExtension static final MotoServer moto = new MotoServer();
  @RegisterExtension static final MotoCredentials credentials = new MotoCredentials();

  @TempDir Path home;
  private AwsWorld aws;
  private String nlb;

  @BeforeEach
  void world() throws IOException {
    aws = new AwsWorld(moto, moto.elb(), moto.apiGateway());
    nlb = aws.networkLoadBalancer();
    aws.tcpApi("my-api");
    aws.tcpApi("another-my-api");
    Files.writeString(
        home.resolve("environments.yaml"),
        """
        environments:
          tcp:
            backend: nlb
            region: us-east-1
            endpoint_override: %s
            load_balancer_arn: %s
            ports: 7000-7009
        """
            .formatted(moto.endpoint(), nlb));
  }

  private CliRun run(String... args) {
    return CliRun.run(home, args);
  }

  @Test
  void deployGetDeleteOnNlb() throws IOException {
    Path file = home.resolve("cortex.yaml");
    Files.writeString(
        file,
        """
        - name: traffic-splitter
          kind: TrafficSplitter
          networking: {endpoint: /traffic-splitter, api_gateway: none}
          apis:
            - {name: my-api, weight: 20}
            - {name: another-my-api, weight: 80}
        """);

    CliRun deploy = run("deploy", "--env", "tcp", file.toString());
    assertThat(deploy.code()).as(deploy.err()).isZero();
    assertThat(deploy.out()).startsWith("created traffic-splitter (TrafficSplitter)");

    JsonNode status =
        new ObjectMapper()
            .readTree(run("get", "--env", "tcp", "traffic-splitter", "-o", "json").out());
    assertThat(status.get("endpoint").asText()).matches("tcp://[^:/]+:7000");
    assertThat(status.get("apis").findValuesAsText("weight")).containsExactly("20", "80");

    assertThat(run("delete", "--env", "tcp", "traffic-splitter").out())
        .isEqualTo("deleted traffic-splitter\n");
    assertThat(aws.elb.describeListeners(request -> request.loadBalancerArn(nlb)).listeners())
        .isEmpty();
  }

  @Test
  void whatATcpListenerCannotRouteIsRefusedWithItsPosition() throws IOException {
    Path shadow = home.resolve("shadow.yaml");
    Files.writeString(
        shadow,
        """
        - name: ts
          kind: TrafficSplitter
          networking: {api_gateway: none}
          apis:
            - {name: my-api, weight: 100}
            - {name: another-my-api, weight: 10, shadow: true}
        """);

    CliRun result = run("deploy", "--env", "tcp", shadow.toString());

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err())
        .contains("ts: apis[1].shadow: the nlb backend cannot mirror traffic to a shadow api");
  }
}
