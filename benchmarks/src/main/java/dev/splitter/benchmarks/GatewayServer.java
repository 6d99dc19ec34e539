package dev.splitter.benchmarks;

import dev.splitter.core.Deployer;
import dev.splitter.local.LocalCluster;
import dev.splitter.local.ShadowComparison;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TrafficSplitter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.util.concurrent.CountDownLatch;

/**
 * The local gateway for load tests: listens on 127.0.0.1:PORT and splits {@code /split} 80/20
 * between two backends. Usage: {@code GatewayServer PORT BACKEND_A_URL BACKEND_B_URL [SHADOW_URL]}.
 * Runs until killed. {@code -Dgateway.eventLoops=N} sets its event loops (default: one per
 * processor).
 *
 * <p>{@code -Dgateway.metrics=prometheus} records into a {@code PrometheusMeterRegistry}, as {@code
 * splitter serve} does, and prints its scrape when stopped.
 *
 * <p>With a shadow URL it also serves {@code /dropped} and {@code /compared}: the same split with
 * every request mirrored to the shadow, whose answers are read and dropped on the first and
 * compared with the live ones on the second; when stopped, it prints how the comparisons went.
 */
public final class GatewayServer {
  private GatewayServer() {}

  public static void main(String[] args) throws InterruptedException {
    boolean shadows = args.length > 3;
    PrometheusMeterRegistry meters =
        "prometheus".equals(System.getProperty("gateway.metrics"))
            ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)
            : null;
    LocalCluster.Builder builder = LocalCluster.builder();
    if (meters != null) {
      builder.meterRegistry(meters);
    }
    LocalCluster cluster =
        builder
            .port(Integer.parseInt(args[0]))
            .eventLoops(
                Integer.getInteger(
                    "gateway.eventLoops", Runtime.getRuntime().availableProcessors()))
            .shadowComparison("dropped", ShadowComparison.off())
            .start();
    cluster.registerApi("a", URI.create(args[1]));
    cluster.registerApi("b", URI.create(args[2]));
    Deployer deployer = cluster.deployer();
    deployer.deploy(
        SplitterConfig.of(
            TrafficSplitter.builder().name("split").target("a", 80).target("b", 20).build()));
    if (shadows) {
      cluster.registerApi("c", URI.create(args[3]));
      for (String name : new String[] {"dropped", "compared"}) {
        deployer.deploy(
            SplitterConfig.of(
                TrafficSplitter.builder()
                    .name(name)
                    .target("a", 80)
                    .target("b", 20)
                    .shadow("c", 100)
                    .build()));
      }
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (shadows) {
                    System.out.print(deployer.get("compared").toTable());
                  }
                  if (meters != null) {
                    System.out.print(meters.scrape());
                  }
                  System.out.flush();
                  cluster.close();
                }));
    System.out.println(
        "ready " + cluster.endpointUrl("split") + " native transport " + cluster.nativeTransport());
    new CountDownLatch(1).await();
  }
}
