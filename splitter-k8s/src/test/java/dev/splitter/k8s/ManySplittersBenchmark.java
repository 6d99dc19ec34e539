package dev.splitter.k8s;

import dev.splitter.core.Deployer;
import dev.splitter.model.ApiGateway;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.RoutingBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * Not a test: deploys N splitters to the CRUD mock server, then the same file again, and prints
 * wall time and the HTTP requests the server saw, by method, per splitter. Run by {@code
 * benchmarks/k8s-deploy.sh}; figures in docs/benchmarks.md.
 */
public final class ManySplittersBenchmark {
  private ManySplittersBenchmark() {}

  public static void main(String[] args) throws Exception {
    int splitters = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    Map<String, BiFunction<MockCluster, Integer, RoutingBackend>> backends =
        Map.of(
            "istio",
            (cluster, n) -> IstioRouting.builder().client(cluster.client).build(),
            "gateway-api",
            (cluster, n) ->
                GatewayApiRouting.builder()
                    .client(cluster.client)
                    .gateway("public-gateway")
                    .build());
    for (String backend : List.of("istio", "gateway-api")) {
      try (MockCluster cluster = MockCluster.start()) {
        cluster.realtimeApi("my-api", 2, 2);
        cluster.realtimeApi("another-my-api", 2, 2);
        Deployer deployer =
            Deployer.builder()
                .routing(backends.get(backend).apply(cluster, splitters))
                .catalog(KubernetesApiCatalog.builder().client(cluster.client).build())
                .build();
        SplitterConfig file = file(splitters);
        cluster.takeRequests();
        run(backend + " first deploy", cluster, splitters, () -> deployer.deploy(file));
        run(backend + " same file again", cluster, splitters, () -> deployer.deploy(file));
      }
    }
  }

  private static void run(String label, MockCluster cluster, int splitters, Runnable deploy)
      throws InterruptedException {
    long start = System.nanoTime();
    deploy.run();
    long millis = (System.nanoTime() - start) / 1_000_000;
    Map<String, Integer> byMethod = new TreeMap<>();
    List<String> requests = cluster.takeRequests();
    requests.forEach(request -> byMethod.merge(request.split(" ")[0], 1, Integer::sum));
    System.out.printf(
        "%-28s %d splitters  %6d ms  %5.1f ms/splitter  %6d requests (%.1f per splitter) %s%n",
        label,
        splitters,
        millis,
        millis / (double) splitters,
        requests.size(),
        requests.size() / (double) splitters,
        byMethod);
  }

  private static SplitterConfig file(int splitters) {
    List<TrafficSplitter> resources = new ArrayList<>();
    for (int i = 0; i < splitters; i++) {
      String name = "splitter-%03d".formatted(i);
      resources.add(
          TrafficSplitter.builder()
              .name(name)
              .apiGateway(ApiGateway.NONE)
              .target("my-api", i % 101)
              .target("another-my-api", 100 - i % 101)
              .build());
    }
    return SplitterConfig.of(resources);
  }
}
