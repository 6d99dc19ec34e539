package dev.splitter.cli;

import dev.splitter.aws.AwsWorld;
import dev.splitter.aws.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/** A Cortex-like AWS world in moto, and an {@code aws} environment that points at it. */
final class AwsSetup {
  private AwsSetup() {}

  /**
   * Makes the world with the example's two APIs and writes {@code environments.yaml} in {@code
   * home}.
   *
   * @param publicEndpoints how API Gateway reaches the load balancer, as an environment line
   */
  static AwsWorld world(MotoServer moto, Path home, Function<AwsWorld, String> publicEndpoints)
      throws IOException {
    AwsWorld aws = new AwsWorld(moto, moto.elb(), moto.apiGateway());
    aws.realtimeApi("my-api");
    aws.realtimeApi("another-my-api");
    Files.writeString(
        home.resolve("environments.yaml"),
        """
        environments:
          aws:
            backend: alb
            region: us-east-1
            endpoint_override: %s
            listener_arn: %s
            api_gateway_id: %s
            %s
        """
            .formatted(moto.endpoint(), aws.listenerArn, aws.apiId, publicEndpoints.apply(aws)));
    return aws;
  }

  /** The reference example without its RealtimeAPIs: on AWS they are target groups already. */
  static Path splitterOnly(Path home) throws IOException {
    String example = Files.readString(Path.of("../examples/traffic-splitter/cortex.yaml"));
    Path file = home.resolve("cortex.yaml");
    Files.writeString(file, example.substring(example.indexOf("- name: traffic-splitter")));
    return file;
  }
}
