package dev.splitter.aws;

import dev.splitter.core.Deployer;
import dev.splitter.local.HandClock;
import dev.splitter.model.ApiGateway;
import dev.splitter.model.Networking;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.rollout.Gate;
import dev.splitter.rollout.Rollout;
import dev.splitter.rollout.RolloutEvent;
import dev.splitter.rollout.RolloutResult;
import dev.splitter.rollout.ScriptedMetrics;
import dev.splitter.spi.BackendCapabilities;
import dev.splitter.spi.DeployedSplitter;
import dev.splitter.spi.Guard;
import dev.splitter.spi.MetricsSource;
import dev.splitter.spi.RoutingBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Not a test: counts what one rollout step costs, in calls through the SPI (routing backend and
 * metrics source) and in AWS API calls, for a four-step rollout (5, 25, 50, 100) on ALB against
 * moto_server, with pinning on and off. A step is counted from one step's start to the next: the
 * previous step's gate reading, then this step's state write and deploy. Run by {@code
 * benchmarks/rollout-calls.sh}; figures in docs/benchmarks.md.
 */
public final class RolloutCallsBenchmark {
  private RolloutCallsBenchmark() {}

  public static void main(String[] args) throws Exception {
    MotoServer moto = new MotoServer();
    moto.beforeAll(null);
    try {
      for (boolean pinning : List.of(false, true)) {
        moto.beforeEach(null);
        CallLog aws = new CallLog();
        AwsWorld world = new AwsWorld(moto, moto.elb(aws), moto.apiGateway());
        world.realtimeApi("my-api");
        world.realtimeApi("my-api-v2");
        HandClock clock = new HandClock();
        Counting routing =
            new Counting(
                AlbRouting.builder()
                    .client(world.elb)
                    .listenerArn(world.listenerArn)
                    .pinning(pinning)
                    .build());
        ScriptedMetrics scripted = new ScriptedMetrics(clock);
        Map<String, Integer> metricsCalls = new TreeMap<>();
        MetricsSource metrics =
            (splitter, apis, window) -> {
              metricsCalls.merge("metrics", 1, Integer::sum);
              return scripted.metrics(splitter, apis, window);
            };
        Deployer deployer =
            Deployer.builder()
                .routing(routing)
                .catalog(AlbTargetCatalog.builder().client(world.elb).build())
                .metrics(metrics)
                .build();
        deployer.deploy(
            SplitterConfig.of(
                new TrafficSplitter(
                    "traffic-splitter",
                    new Networking("/traffic-splitter", ApiGateway.NONE),
                    List.of(new TargetApi("my-api", 100, false)))));
        aws.take();
        routing.take();
        List<String> steps = new ArrayList<>();
        RolloutResult result =
            Rollout.builder()
                .deployer(deployer)
                .splitter("traffic-splitter")
                .candidate("my-api-v2")
                .steps(5, 25, 50, 100)
                .gate(Gate.maxErrorRate(0.01))
                .gate(Gate.maxLatencyRatio(1.5))
                .minRequests(10)
                .clock(clock)
                .sleeper(
                    duration -> {
                      scripted.served("my-api", 900, 0, Duration.ofMillis(10));
                      scripted.served("my-api-v2", 100, 0, Duration.ofMillis(10));
                      clock.advance(duration);
                    })
                .listener(
                    event -> {
                      if (event.type() == RolloutEvent.Type.STEP_STARTED
                          || event.type() == RolloutEvent.Type.PROMOTED) {
                        List<String> operations = aws.take();
                        steps.add(
                            String.format(
                                "  up to %-12s SPI %s, metrics %s; AWS %d calls %s",
                                event.type() == RolloutEvent.Type.PROMOTED
                                    ? "promotion"
                                    : "step " + event.step(),
                                routing.take(),
                                take(metricsCalls),
                                operations.size(),
                                byOperation(operations)));
                      }
                    })
                .build()
                .run();
        System.out.printf("pinning %s: %s%n", pinning ? "on" : "off", result);
        steps.forEach(System.out::println);
      }
    } finally {
      moto.afterAll(null);
    }
  }

  private static Map<String, Integer> take(Map<String, Integer> counts) {
    Map<String, Integer> taken = new TreeMap<>(counts);
    counts.clear();
    return taken;
  }

  private static Map<String, Integer> byOperation(List<String> operations) {
    Map<String, Integer> counts = new TreeMap<>();
    operations.forEach(operation -> counts.merge(operation, 1, Integer::sum));
    return counts;
  }

  /** A routing backend that counts the calls made into it. */
  private static final class Counting implements RoutingBackend {
    private final RoutingBackend routing;
    private final Map<String, Integer> calls = new TreeMap<>();

    Counting(RoutingBackend routing) {
      this.routing = routing;
    }

    synchronized Map<String, Integer> take() {
      Map<String, Integer> taken = new TreeMap<>(calls);
      calls.clear();
      return taken;
    }

    private synchronized void count(String call) {
      calls.merge(call, 1, Integer::sum);
    }

    @Override
    public BackendCapabilities capabilities() {
      return routing.capabilities();
    }

    @Override
    public void apply(TrafficSplitter splitter) {
      count("apply");
      routing.apply(splitter);
    }

    @Override
    public Optional<DeployedSplitter> describe(String name) {
      count("describe");
      return routing.describe(name);
    }

    @Override
    public Map<String, DeployedSplitter> describeAll(Set<String> names) {
      count("describeAll");
      return routing.describeAll(names);
    }

    @Override
    public List<DeployedSplitter> list() {
      count("list");
      return routing.list();
    }

    @Override
    public boolean delete(String name) {
      count("delete");
      return routing.delete(name);
    }

    @Override
    public Map<String, List<String>> endpointOwners(Set<String> endpoints) {
      count("endpointOwners");
      return routing.endpointOwners(endpoints);
    }

    @Override
    public Map<String, String> annotations(String name) {
      count("annotations");
      return routing.annotations(name);
    }

    @Override
    public boolean annotateIf(String name, Guard guard) {
      count("annotateIf");
      return routing.annotateIf(name, guard);
    }

    @Override
    public boolean applyIf(TrafficSplitter splitter, Guard guard) {
      count("applyIf");
      return routing.applyIf(splitter, guard);
    }
  }
}
