package dev.splitter.aws;

import dev.splitter.local.OrphanReaper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.apache5.ProxyConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * Starts {@code moto_server} (the AWS wire protocol, from the venv the test command installs) on a
 * free loopback port for a test class, resets it before each test and gives SigV4-signing clients
 * with dummy credentials. In CI ({@code CI=true}) a missing moto fails the tests; elsewhere it
 * skips them with the command that installs it.
 */
public final class MotoServer implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  private static final Duration STARTUP = Duration.ofSeconds(60);

  private final HttpClient http =
      HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
  private Process process;
  private URI endpoint;

  /** The server's address, for clients made elsewhere. */
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Path binary = Path.of(System.getProperty("moto.server", "../.venv/bin/moto_server"));
    if (!Files.isExecutable(binary)) {
      String message =
          "moto_server not found at "
              + binary.toAbsolutePath()
              + "; tools/install-moto.sh installs it";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(message);
      }
      Assumptions.abort(message);
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Path log = Files.createDirectories(Path.of("target")).resolve("moto-" + port + ".log");
    process =
        new ProcessBuilder(
                List.of(binary.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port)))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    // Stopped by afterAll; if this JVM is killed first, the reaper stops it.
    OrphanReaper.watch(process);
    endpoint = URI.create("http://127.0.0.1:" + port);
    awaitStarted(log);
  }

  private void awaitStarted(Path log) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("moto_server exited: " + Files.readString(log));
      }
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("moto_server did not start within " + STARTUP);
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    resume();
    http.send(
        HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.discarding());
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (process != null) {
      resume();
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** Freezes the server (SIGSTOP): calls hang until {@link #resume}, its state is kept. */
  public void pause() {
    signal("-STOP");
  }

  public void resume() {
    signal("-CONT");
  }

  private void signal(String signal) {
    try {
      new ProcessBuilder("kill", signal, String.valueOf(process.pid()))
          .inheritIO()
          .start()
          .waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public ElasticLoadBalancingV2Client elb(ExecutionInterceptor... interceptors) {
    return configure(ElasticLoadBalancingV2Client.builder(), interceptors).build();
  }

  public ApiGatewayV2Client apiGateway(ExecutionInterceptor... interceptors) {
    return configure(ApiGatewayV2Client.builder(), interceptors).build();
  }

  public Ec2Client ec2() {
    return configure(Ec2Client.builder()).build();
  }

  /** A client whose calls give up after {@code timeout}, for a server that stops answering. */
  public ElasticLoadBalancingV2Client elbWithTimeout(
      Duration timeout, ExecutionInterceptor... interceptors) {
    ClientOverrideConfiguration.Builder override =
        ClientOverrideConfiguration.builder()
            .apiCallAttemptTimeout(timeout)
            .apiCallTimeout(timeout.multipliedBy(2));
    return configure(ElasticLoadBalancingV2Client.builder(), override, interceptors).build();
  }

  private <B extends AwsClientBuilder<B, ?>> B configure(
      B builder, ExecutionInterceptor... interceptors) {
    return configure(builder, ClientOverrideConfiguration.builder(), interceptors);
  }

  private <B extends AwsClientBuilder<B, ?>> B configure(
      B builder,
      ClientOverrideConfiguration.Builder override,
      ExecutionInterceptor... interceptors) {
    builder
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")));
    if (builder
        instanceof software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<?, ?> sync) {
      sync.httpClientBuilder(
          Apache5HttpClient.builder()
              .proxyConfiguration(
                  ProxyConfiguration.builder()
                      .useSystemPropertyValues(false)
                      .useEnvironmentVariableValues(false)
                      .build()));
    }
    for (ExecutionInterceptor interceptor : interceptors) {
      override.addExecutionInterceptor(interceptor);
    }
    return builder.overrideConfiguration(override.build());
  }
}
