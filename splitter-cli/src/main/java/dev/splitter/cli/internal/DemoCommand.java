package dev.splitter.cli.internal;

import dev.splitter.core.Deployer;
import dev.splitter.core.internal.ShadowText;
import dev.splitter.local.LocalCluster;
import dev.splitter.local.SampleApi;
import dev.splitter.local.ShadowComparison;
import dev.splitter.model.SplitterConfig;
import dev.splitter.spi.ShadowReport;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code splitter demo}: the reference page on a gateway of its own, needing nothing running. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "The Cortex reference page on this machine: two sample Realtime APIs on loopback, the"
          + " example splitter (20/80), predictions through its endpoint, get, compare, deploy"
          + " again (up to date), delete. Needs nothing running."
    })
final class DemoCommand implements Callable<Integer> {
  private static final String EXAMPLE = "/dev/splitter/cli/demo/";
  private static final int BATCH = 50;

  private final Cli cli;

  @Option(
      names = "--predictions",
      defaultValue = "1000",
      description = "How many predictions to send (default: ${DEFAULT-VALUE}).")
  int predictions;

  @Option(
      names = "--shadow",
      description =
          "Instead: a candidate as a shadow of the live API, disagreeing on about one request in"
              + " ten; predictions, then get with the shadow's agreement, and diff.")
  boolean shadow;

  @Option(
      names = "--rollout",
      description =
          "Instead: two progressive rollouts while traffic flows, one promoted, one rolled back by"
              + " its error gate, and a pinned request (about 15 s).")
  boolean rollout;

  @Option(
      names = "--hold",
      paramLabel = "DURATION",
      defaultValue = "0s",
      description =
          "With --rollout: keep the gateway, its traffic and the dashboard up this long after the"
              + " rollouts (30s, 2m), to look at the dashboard (default: ${DEFAULT-VALUE}).")
  Duration hold;

  DemoCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    if (predictions < 0) {
      throw new CliException("--predictions must be 0 or more");
    }
    if (rollout) {
      if (hold.isNegative()) {
        throw new CliException("--hold must be 0 or more, got " + hold);
      }
      return new RolloutDemo(cli, hold).run();
    }
    if (shadow) {
      return shadowDemo();
    }
    String yaml = resource("cortex.yaml");
    byte[] sample = resource("sample.json").getBytes(StandardCharsets.UTF_8);
    try (LocalCluster cluster = LocalCluster.start();
        FileApis fileApis = new FileApis(cluster, Map.of(), true)) {
      Deployer deployer = cluster.deployerBuilder().realtimeApis(fileApis).build();
      SplitterConfig config = SplitterConfig.parse(yaml, "cortex.yaml");

      cli.out().println("$ splitter deploy cortex.yaml");
      deployer.deploy(config).messages().forEach(cli.out()::println);

      URI endpoint = cluster.endpointUrl("traffic-splitter");
      cli.out()
          .printf(
              "%n$ %,d predictions: curl %s -X POST -H \"Content-Type: application/json\" -d"
                  + " @sample.json%n",
              predictions, endpoint);
      predict(endpoint, sample)
          .forEach((api, count) -> cli.out().printf("%-16s %4d answers%n", api, count));

      cli.out().println("\n$ splitter get traffic-splitter");
      cli.out().print(deployer.get("traffic-splitter").toTable(cli.clock().instant()));

      cli.out().println("\n$ splitter compare traffic-splitter");
      cli.out().print(deployer.compare("traffic-splitter").toTable());

      cli.out().println("\n$ splitter deploy cortex.yaml   (again, unchanged)");
      deployer.deploy(config).messages().forEach(cli.out()::println);

      cli.out().println("\n$ splitter delete traffic-splitter");
      deployer.delete("traffic-splitter").messages().forEach(cli.out()::println);
    }
    cli.out().flush();
    return 0;
  }

  /** {@code --shadow}: a shadow compared with the live API. */
  private int shadowDemo() {
    String yaml =
        """
        - name: traffic-splitter
          kind: TrafficSplitter
          networking:
            endpoint: /traffic-splitter
          apis:
            - name: my-api
              weight: 100
            - name: my-api-v2
              weight: 100
              shadow: true
        """;
    // The sample APIs answer with their own name: not a difference between models.
    ShadowComparison comparison = ShadowComparison.builder().ignore("/api").build();
    try (SampleApi live = SampleApi.start("my-api");
        SampleApi candidate =
            SampleApi.builder("my-api-v2").disagreement(0.1).latency(Duration.ofMillis(3)).start();
        LocalCluster cluster = LocalCluster.builder().shadowComparison(comparison).start()) {
      cluster.registerApi(live.name(), live.uri());
      cluster.registerApi(candidate.name(), candidate.uri());
      Deployer deployer = cluster.deployer();
      cli.out()
          .println(
              "my-api takes every request; my-api-v2, its shadow, gets a copy of each, and"
                  + " answers \"prediction\": \"other\" on about one in ten.\n"
                  + "(serve --shadow-ignore /api: the sample APIs answer with their own names)");
      cli.out().println("\n$ splitter deploy shadow.yaml");
      deployer
          .deploy(SplitterConfig.parse(yaml, "shadow.yaml"))
          .messages()
          .forEach(cli.out()::println);
      URI endpoint = cluster.endpointUrl("traffic-splitter");
      byte[] sample = "{\"text\": \"the demo's prediction\"}".getBytes(StandardCharsets.UTF_8);
      cli.out().printf("%n$ %,d predictions through %s%n", predictions, endpoint);
      predict(endpoint, sample)
          .forEach((api, count) -> cli.out().printf("%-16s %4d answers%n", api, count));
      awaitComparisons(deployer);

      cli.out().println("\n$ splitter get traffic-splitter");
      cli.out().print(deployer.get("traffic-splitter").toTable(cli.clock().instant()));

      cli.out().println("\n$ splitter diff traffic-splitter --limit 2");
      cli.out()
          .print(
              ShadowText.differences(
                  "traffic-splitter", deployer.shadowDifferences("traffic-splitter", 2)));

      cli.out().println("$ splitter delete traffic-splitter");
      deployer.delete("traffic-splitter").messages().forEach(cli.out()::println);
    }
    cli.out().flush();
    return 0;
  }

  /** Comparisons run after the answers: wait until the last mirrored pairs are compared. */
  private static void awaitComparisons(Deployer deployer) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      ShadowReport report = deployer.shadowReport("traffic-splitter").orElseThrow();
      if (report.compared() + report.notCompared() >= report.mirrored()) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Sends the predictions, {@value #BATCH} at a time, and counts answers by the API that gave them.
   */
  private Map<String, Integer> predict(URI endpoint, byte[] sample) {
    Map<String, Integer> answers = new TreeMap<>();
    HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(sample))
            .build();
    for (int sent = 0; sent < predictions; sent += BATCH) {
      List<CompletableFuture<HttpResponse<Void>>> batch = new ArrayList<>();
      for (int i = 0; i < Math.min(BATCH, predictions - sent); i++) {
        batch.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding()));
      }
      for (CompletableFuture<HttpResponse<Void>> response : batch) {
        String api = response.join().headers().firstValue("x-splitter-api").orElse("(error)");
        answers.merge(api, 1, Integer::sum);
      }
    }
    return answers;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = DemoCommand.class.getResourceAsStream(EXAMPLE + name)) {
      if (in == null) {
        throw new CliException("the demo's " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
