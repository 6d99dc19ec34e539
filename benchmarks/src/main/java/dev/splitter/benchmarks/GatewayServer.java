package dev.splitter.benchmarks;

import dev.splitter.local.LocalCluster;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TrafficSplitter;
import java.net.URI;
import java.util.concurrent.CountDownLatch;

/**
 * The local gateway for load tests: listens on 127.0.0.1:PORT and splits {@code /split} 80/20
 * between two backends. Usage: {@code GatewayServer PORT BACKEND_A_URL BACKEND_B_URL}. Runs until
 * killed. {@code -Dgateway.eventLoops=N} sets its event loops (default: one per processor).
 */
public final class GatewayServer {
  private GatewayServer() {}

  public static void main(String[] args) throws InterruptedException {
    LocalCluster cluster =
        LocalCluster.builder()
            .port(Integer.parseInt(args[0]))
            .eventLoops(
                Integer.getInteger(
                    "gateway.eventLoops", Runtime.getRuntime().availableProcessors()))
            .start();
    cluster.registerApi("a", URI.create(args[1]));
    cluster.registerApi("b", URI.create(args[2]));
    cluster
        .deployer()
        .deploy(
            SplitterConfig.of(
                TrafficSplitter.builder().name("split").target("a", 80).target("b", 20).build()));
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
    System.out.println(
        "ready " + cluster.endpointUrl("split") + " native transport " + cluster.nativeTransport());
    new CountDownLatch(1).await();
  }
}
