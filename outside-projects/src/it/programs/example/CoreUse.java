package example;

import dev.splitter.core.Deployer;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.ApiCatalog;
import dev.splitter.spi.ApiState;
import dev.splitter.spi.ApiStatus;
import dev.splitter.spi.DeployedSplitter;
import dev.splitter.spi.RoutingBackend;
import dev.splitter.spi.BackendCapabilities;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** splitter-core: a third party's routing backend and catalog, driven by the Deployer. */
public final class CoreUse {
  public static void main(String[] args) throws Exception {
    Quiet.check(CoreUse::run);
  }

  static void run() {
    ValidationUse.run();
    Deployer deployer =
        Deployer.builder().routing(new InMemoryRouting()).catalog(new TwoApis()).build();
    SplitterConfig config = SplitterConfig.parse(Files.SPLITTER_ONLY, "cortex.yaml");
    expect(deployer.deploy(config).messages(), "created traffic-splitter (TrafficSplitter)");
    expect(deployer.deploy(config).messages(), "traffic-splitter (TrafficSplitter) is up to date");
    System.out.print(deployer.get("traffic-splitter").toTable());
  }

  static void expect(List<String> messages, String line) {
    if (!messages.contains(line)) {
      throw new AssertionError("expected '" + line + "' in " + messages);
    }
    System.out.println(line);
  }

  /** Both APIs of the reference page, live. */
  static final class TwoApis implements ApiCatalog {
    @Override
    public boolean exists(String apiName) {
      return Set.of("my-api", "another-my-api").contains(apiName);
    }

    @Override
    public ApiStatus status(String apiName) {
      return exists(apiName) ? new ApiStatus(ApiState.LIVE, 1, null) : ApiStatus.NOT_DEPLOYED;
    }
  }

  private static final class InMemoryRouting implements RoutingBackend {
    private final Map<String, DeployedSplitter> routes = new ConcurrentHashMap<>();

    @Override
    public BackendCapabilities capabilities() {
      return BackendCapabilities.builder("memory").maxTargets(10).build();
    }

    @Override
    public void apply(TrafficSplitter splitter) {
      routes.put(splitter.name(), new DeployedSplitter(splitter, Instant.now()));
    }

    @Override
    public Optional<DeployedSplitter> describe(String name) {
      return Optional.ofNullable(routes.get(name));
    }

    @Override
    public List<DeployedSplitter> list() {
      return List.copyOf(routes.values());
    }

    @Override
    public boolean delete(String name) {
      return routes.remove(name) != null;
    }
  }
}
