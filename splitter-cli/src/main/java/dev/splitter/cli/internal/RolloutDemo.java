package dev.splitter.cli.internal;

import dev.splitter.core.Deployer;
import dev.splitter.local.LocalCluster;
import dev.splitter.local.SampleApi;
import dev.splitter.model.ApiGateway;
import dev.splitter.model.Networking;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.rollout.Gate;
import dev.splitter.rollout.Rollout;
import dev.splitter.rollout.RolloutListener;
import dev.splitter.rollout.RolloutResult;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code splitter demo --rollout}: two progressive rollouts on a gateway of its own while traffic
 * flows, one promoted and one rolled back by its error gate, with a pinned request between them.
 */
final class RolloutDemo {
  private static final String SPLITTER = "traffic-splitter";
  private static final Duration INTERVAL = Duration.ofSeconds(2);
  private static final int SENDERS = 4;

  private final Cli cli;
  private final Duration hold;

  /**
   * @param hold how long the gateway, its traffic and the dashboard stay up after the rollouts
   */
  RolloutDemo(Cli cli, Duration hold) {
    this.cli = cli;
    this.hold = hold;
  }

  int run() throws InterruptedException {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (LocalCluster cluster = LocalCluster.builder().meterRegistry(meters).start();
        SampleApi stable = SampleApi.start("my-api");
        SampleApi better = SampleApi.start("my-api-v2");
        SampleApi flaky = SampleApi.builder("my-api-v3").failureRate(0.2).start();
        Dashboard dashboard = new Dashboard(cluster.deployer(), cluster, cli.clock());
        AdminServer admin =
            new AdminServer(
                new InProcessBackend(dashboard.deployer(), () -> {}, cli.clock()),
                ServeInfo.newToken(),
                meters::scrape,
                null,
                dashboard)) {
      cli.out()
          .println(
              "dashboard (open it while the demo runs): " + admin.dashboardUri().orElseThrow());
      for (SampleApi api : List.of(stable, better, flaky)) {
        cli.out().println("sample API " + api.name() + ": " + api.uri());
        cluster.registerApi(api.name(), api.uri());
      }
      Deployer deployer = dashboard.deployer();
      cli.out().println("\n$ splitter deploy   (traffic-splitter: my-api 100)");
      deployer
          .deploy(
              SplitterConfig.of(
                  new TrafficSplitter(
                      SPLITTER,
                      new Networking("/" + SPLITTER, ApiGateway.NONE),
                      List.of(new TargetApi("my-api", 100, false)))))
          .messages()
          .forEach(cli.out()::println);
      URI endpoint = cluster.endpointUrl(SPLITTER);
      HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
      AtomicBoolean sending = new AtomicBoolean(true);
      ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
      cli.out()
          .println("(" + SENDERS + " clients send predictions to " + endpoint + " throughout)");
      for (int i = 0; i < SENDERS; i++) {
        senders.execute(() -> sendWhile(sending, http, endpoint));
      }
      try {
        rollout(deployer, dashboard, "my-api-v2", "my-api");
        cli.out().println("\n$ splitter get " + SPLITTER);
        cli.out().print(deployer.get(SPLITTER).toTable(cli.clock().instant()));

        cli.out()
            .println(
                "\n$ curl " + endpoint + " -X POST -H \"x-splitter-api: my-api\" -d @sample.json");
        cli.out().println(pinnedAnswer(http, endpoint, "my-api"));

        rollout(deployer, dashboard, "my-api-v3", "my-api-v2");
        if (!hold.isZero()) {
          cli.out().println("\n(the dashboard stays up for " + hold.toSeconds() + " s)");
          cli.out().flush();
          Thread.sleep(hold.toMillis());
        }
      } finally {
        sending.set(false);
        senders.shutdown();
        senders.awaitTermination(30, TimeUnit.SECONDS);
      }
      cli.out().println("\n$ splitter delete " + SPLITTER);
      deployer.delete(SPLITTER).messages().forEach(cli.out()::println);
    }
    cli.out().flush();
    return 0;
  }

  private void rollout(Deployer deployer, Dashboard dashboard, String candidate, String baseline) {
    RolloutListener shown = dashboard.rolloutListener(SPLITTER);
    cli.out()
        .printf(
            "%n$ splitter rollout %s --candidate %s --steps 10,50,100 --interval %ds"
                + " --max-error-rate 1%% --max-latency-ratio 5 --min-requests 20%n",
            SPLITTER, candidate, INTERVAL.toSeconds());
    RolloutResult result =
        Rollout.builder()
            .deployer(deployer)
            .splitter(SPLITTER)
            .baseline(baseline)
            .candidate(candidate)
            .steps(10, 50, 100)
            .interval(INTERVAL)
            .gate(Gate.maxErrorRate(0.01))
            .gate(Gate.maxLatencyRatio(5))
            .minRequests(20)
            .listener(
                event -> {
                  shown.onEvent(event);
                  cli.out().println(event.message());
                })
            .build()
            .run();
    cli.out().println(result);
    cli.out().flush();
  }

  private static String pinnedAnswer(HttpClient http, URI endpoint, String api)
      throws InterruptedException {
    try {
      return http.send(
              HttpRequest.newBuilder(endpoint)
                  .header("x-splitter-api", api)
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (java.io.IOException e) {
      throw new CliException("the pinned request failed: " + e.getMessage(), e);
    }
  }

  private static void sendWhile(AtomicBoolean sending, HttpClient http, URI endpoint) {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build();
    while (sending.get()) {
      try {
        http.send(request, HttpResponse.BodyHandlers.discarding());
      } catch (java.io.IOException e) {
        // An answer cut short while weights change is the gateway's to count, not ours.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
