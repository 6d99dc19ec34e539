package dev.splitter.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitter.InvalidConfigException;
import dev.splitter.Violation;
import dev.splitter.core.BackendException;
import dev.splitter.core.DeployEvent;
import dev.splitter.core.DeployResult;
import dev.splitter.core.Deployer;
import dev.splitter.core.NotDeployedException;
import dev.splitter.core.Plan;
import dev.splitter.core.SplitterStatus;
import dev.splitter.core.SplitterSummary;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.ApiState;
import dev.splitter.spi.BackendCapabilities;
import dev.splitter.spi.Change;
import dev.splitter.spi.DeployedSplitter;
import dev.splitter.spi.EndpointProvisioner;
import dev.splitter.spi.RoutingBackend;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Deployer's contract, against the real local gateway over loopback. */
class DeployerContractTest {
  private static final Path EXAMPLE = Path.of("../examples/traffic-splitter/cortex.yaml");
  private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

  private final TestApi myApi = TestApi.named("my-api");
  private final TestApi anotherMyApi = TestApi.named("another-my-api");
  private LocalCluster cluster;
  private Deployer deployer;

  @BeforeEach
  void start() {
    cluster = LocalCluster.builder().clock(Clock.fixed(T0, ZoneOffset.UTC)).start();
    cluster.registerApi("my-api", myApi.uri());
    cluster.registerApi("another-my-api", anotherMyApi.uri());
    deployer = cluster.deployer();
  }

  @AfterEach
  void stop() {
    cluster.close();
    myApi.close();
    anotherMyApi.close();
  }

  private static SplitterConfig split(int myApiWeight) {
    return SplitterConfig.of(
        TrafficSplitter.builder()
            .name("traffic-splitter")
            .target("my-api", myApiWeight)
            .target("another-my-api", 100 - myApiWeight)
            .build());
  }

  @Test
  void deployPrintsCreatedThenUpdatedThenUpToDate() {
    assertThat(deployer.deploy(EXAMPLE).messages())
        .containsExactly("created traffic-splitter (TrafficSplitter)");
    assertThat(deployer.deploy(split(30)).messages())
        .containsExactly("updated traffic-splitter (TrafficSplitter)");
    assertThat(deployer.deploy(split(30)).messages())
        .containsExactly("traffic-splitter (TrafficSplitter) is up to date");
  }

  @Test
  void upToDateWritesNothing() {
    deployer.deploy(EXAMPLE);
    Instant written = cluster.deployer().list().get(0).lastUpdated();
    List<DeployEvent> events = new ArrayList<>();

    cluster.deployerBuilder().listener(events::add).build().deploy(EXAMPLE);

    assertThat(events)
        .extracting(DeployEvent::stage)
        .containsExactly(DeployEvent.Stage.VALIDATED, DeployEvent.Stage.DONE);
    assertThat(deployer.list().get(0).lastUpdated()).isEqualTo(written);
  }

  @Test
  void theListenerHearsEveryStepInOrder() {
    List<DeployEvent> events = new ArrayList<>();

    cluster.deployerBuilder().listener(events::add).build().deploy(EXAMPLE);

    assertThat(events)
        .extracting(DeployEvent::stage)
        .containsExactly(
            DeployEvent.Stage.VALIDATED,
            DeployEvent.Stage.APPLYING,
            DeployEvent.Stage.APPLIED,
            DeployEvent.Stage.EXPOSED,
            DeployEvent.Stage.DONE);
  }

  @Test
  void realtimeApisInTheFileWithoutAHookAreNamedInAWarning() {
    assertThat(deployer.deploy(EXAMPLE).warnings())
        .containsExactly(
            "RealtimeAPIs in the file are not deployed here (no RealtimeApiDeployer): my-api,"
                + " another-my-api; the splitters route to them as they already run");
  }

  @Test
  void realtimeApisInTheFileGoToTheHookFirst() {
    List<String> deployed = new ArrayList<>();
    Deployer withHook =
        cluster
            .deployerBuilder()
            .realtimeApis(
                api -> {
                  deployed.add(api.name());
                  return Change.CREATED;
                })
            .build();

    assertThat(withHook.deploy(EXAMPLE).messages())
        .containsExactly(
            "created my-api (RealtimeAPI)",
            "created another-my-api (RealtimeAPI)",
            "created traffic-splitter (TrafficSplitter)");
    assertThat(deployed).containsExactly("my-api", "another-my-api");
  }

  @Test
  void getShowsTheReferencePageTable() {
    deployer.deploy(EXAMPLE);

    assertThat(deployer.get("traffic-splitter").toTable(T0.plusSeconds(300)))
        .isEqualTo(
            """
            apis             weights   status   requested   last update   avg request   2XX   5XX
            another-my-api   80        live     1           5m            -             -     -
            my-api           20        live     1           5m            -             -     -

            last updated: 5m
            endpoint: %s
            curl: curl %s -X POST -H "Content-Type: application/json" -d @sample.json
            assignment: by key: header x-splitter-key, hashed into 10,000 buckets; without it, random
            buckets: my-api=0-1999 another-my-api=2000-9999
            """
                .formatted(
                    cluster.endpointUrl("traffic-splitter"),
                    cluster.endpointUrl("traffic-splitter")));
  }

  @Test
  void getCountsWhatEachTargetServed() {
    deployer.deploy(split(50));

    Http.postMany(cluster.endpointUrl("traffic-splitter"), 400, 50);

    assertThat(deployer.get("traffic-splitter").targets())
        .allSatisfy(
            target -> {
              assertThat(target.metrics().requests()).isPositive();
              assertThat(target.metrics().responses2xx()).isEqualTo(target.metrics().requests());
              assertThat(target.metrics().averageLatency()).isNotNull();
            })
        .extracting(target -> target.metrics().requests())
        .containsOnly((long) myApi.requests(), (long) anotherMyApi.requests());
  }

  @Test
  void listShowsEachSplitterWithItsWeights() {
    deployer.deploy(EXAMPLE);

    assertThat(SplitterSummary.toTable(deployer.list(), T0.plusSeconds(60)))
        .isEqualTo(
            """
            traffic splitter   apis                          last update
            traffic-splitter   my-api:20 another-my-api:80   1m
            """);
  }

  @Test
  void deleteLeavesTargetApisRunning() {
    deployer.deploy(EXAMPLE);
    URI endpoint = cluster.endpointUrl("traffic-splitter");

    assertThat(deployer.delete("traffic-splitter").messages())
        .containsExactly("deleted traffic-splitter");

    assertThat(Http.post(endpoint, "{}").statusCode()).isEqualTo(404);
    assertThat(Http.post(myApi.uri(), "{}").body()).isEqualTo("{\"api\": \"my-api\"}");
    assertThat(cluster.deployer().list()).isEmpty();
    assertThat(deployer.deploy(EXAMPLE).messages())
        .containsExactly("created traffic-splitter (TrafficSplitter)");
  }

  @Test
  void deletingOrGettingWhatIsNotDeployedSaysSo() {
    assertThatThrownBy(() -> deployer.delete("traffic-splitter"))
        .isInstanceOf(NotDeployedException.class)
        .hasMessage("traffic-splitter is not deployed");
    assertThatThrownBy(() -> deployer.get("traffic-splitter"))
        .isInstanceOf(NotDeployedException.class)
        .hasMessage("traffic-splitter is not deployed");
  }

  @Test
  void theWholeFileIsValidatedBeforeAnythingIsWritten() {
    SplitterConfig config =
        SplitterConfig.parse(
            """
            - name: first
              kind: TrafficSplitter
              apis: [{name: my-api, weight: 100}]
            - name: second
              kind: TrafficSplitter
              apis: [{name: unregistered-api, weight: 100}]
            """,
            "cortex.yaml");

    assertThatThrownBy(() -> deployer.deploy(config))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage(
            "cortex.yaml: 1 problem\n"
                + "cortex.yaml:6:17: second: apis[0].name: api unregistered-api was either not"
                + " found or is not a RealtimeAPI; define it in this file or deploy it first");
    assertThat(deployer.list()).isEmpty();
  }

  @Test
  void aRealtimeApiOnlyInTheFileNeedsAHook() {
    SplitterConfig config =
        SplitterConfig.parse(
            """
            - {name: new-api, kind: RealtimeAPI}
            - name: ts
              kind: TrafficSplitter
              apis: [{name: new-api, weight: 100}]
            """,
            "cortex.yaml");

    assertThatThrownBy(() -> deployer.deploy(config))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageEndingWith(
            "cortex.yaml:4:17: ts: apis[0].name: api new-api is defined in this file but not"
                + " deployed, and nothing here deploys RealtimeAPIs; deploy it first");
  }

  @Test
  void anEndpointServedByAnotherSplitterIsRefused() {
    deployer.deploy(EXAMPLE);
    SplitterConfig thief =
        SplitterConfig.parse(
            """
            - name: other
              kind: TrafficSplitter
              networking: {endpoint: /traffic-splitter}
              apis: [{name: my-api, weight: 100}]
            """,
            "other.yaml");

    assertThatThrownBy(() -> deployer.deploy(thief))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageEndingWith(
            "other.yaml:3:26: other: networking.endpoint: endpoint /traffic-splitter is already"
                + " being used by traffic-splitter");
  }

  @Test
  void aTargetThatIsNotLiveWarnsOrFails() {
    TestApi gone = TestApi.named("gone-api");
    gone.close();
    cluster.registerApi("gone-api", gone.uri()); // its first health check fails
    SplitterConfig config =
        SplitterConfig.parse(
            "- {name: ts, kind: TrafficSplitter, apis: [{name: gone-api, weight: 100}]}\n",
            "cortex.yaml");
    Deployer strict = cluster.deployerBuilder().requireLiveTargets(true).build();

    assertThatThrownBy(() -> strict.deploy(config))
        .isInstanceOf(InvalidConfigException.class)
        .satisfies(
            e ->
                assertThat(((InvalidConfigException) e).violations())
                    .extracting(Violation::code, Violation::toString)
                    .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                            "target.not-live",
                            "cortex.yaml:1:51: ts: apis[0].name: api gone-api is error, not live,"
                                + " and would receive 100% of requests")));
    assertThat(deployer.list()).isEmpty();

    assertThat(deployer.deploy(config).warnings())
        .containsExactly("ts: api gone-api is error, not live, and would receive 100% of requests");
    assertThat(deployer.get("ts").targets().get(0).status().state()).isEqualTo(ApiState.ERROR);
  }

  @Test
  void planShowsTheDiffAndWritesNothing() {
    deployer.deploy(EXAMPLE);

    Plan plan = deployer.plan(split(35));

    assertThat(plan.toString())
        .isEqualTo(
            """
            would update traffic-splitter (TrafficSplitter)
              apis[my-api].weight: 20 -> 35
              apis[another-my-api].weight: 80 -> 65
              keys moving: 15.00% (to my-api 15.00%)
            """);
    assertThat(deployer.get("traffic-splitter").splitter().apis().get(0).weight()).isEqualTo(20);
  }

  @Test
  void aCreateWhoseEndpointFailsIsRolledBack() {
    Deployer failing =
        cluster.deployerBuilder().endpoints(new FailingEndpoints("no route for you")).build();

    assertThatThrownBy(() -> failing.deploy(EXAMPLE))
        .isInstanceOf(BackendException.class)
        .hasMessage("local: expose traffic-splitter: no route for you");
    assertThat(deployer.list()).isEmpty();
  }

  @Test
  void anUpdateThatFailsRestoresThePreviousSplit() {
    deployer.deploy(EXAMPLE);
    Deployer failing =
        cluster.deployerBuilder().endpoints(new FailingEndpoints("gateway down")).build();

    assertThatThrownBy(() -> failing.deploy(split(70))).isInstanceOf(BackendException.class);

    assertThat(deployer.get("traffic-splitter").splitter())
        .isEqualTo(SplitterConfig.load(EXAMPLE).trafficSplitters().get(0));
    assertThat(deployer.deploy(split(70)).messages())
        .containsExactly("updated traffic-splitter (TrafficSplitter)");
  }

  @Test
  void aFileThatCannotBeReadWholeReportsItsRuleViolationsTooAndWritesNothing(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path file =
        java.nio.file.Files.writeString(
            dir.resolve("cortex.yaml"),
            """
            - name: traffic-splitter
              kind: TrafficSplitter
              apis:
                - {name: my-api, weight: "twenty"}
                - {name: another-my-api, weight: 101}
            """);

    assertThatThrownBy(() -> deployer.deploy(file))
        .isInstanceOfSatisfying(
            InvalidConfigException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::code)
                    .containsExactly("type", "weight.range"));
    assertThat(deployer.list()).isEmpty();
  }

  @Test
  void aMetricsSourceThatFailsLeavesGetAnsweringWithDashesAndANote() {
    Deployer blind =
        cluster
            .deployerBuilder()
            .metrics(
                (splitter, apis, window) -> {
                  throw new IllegalStateException("Connection refused: 127.0.0.1:9090");
                })
            .build();
    blind.deploy(EXAMPLE);

    SplitterStatus status = blind.get("traffic-splitter");

    assertThat(status.targets())
        .allSatisfy(target -> assertThat(target.metrics().requests()).isZero());
    assertThat(status.notes())
        .containsExactly(
            "no traffic figures: local: metrics traffic-splitter: Connection refused:"
                + " 127.0.0.1:9090");
    assertThat(status.toTable()).contains("note: no traffic figures: ");
  }

  @Test
  void anOldEndpointThatCannotBeRemovedIsAWarningNotAFailure() {
    Deployer sticky =
        cluster.deployerBuilder().endpoints(new EndpointsThatCannotUnexpose()).build();
    sticky.deploy(EXAMPLE);
    TrafficSplitter moved =
        SplitterConfig.load(EXAMPLE).trafficSplitters().get(0).toBuilder().endpoint("/v2").build();

    DeployResult result = sticky.deploy(SplitterConfig.of(moved));

    assertThat(result.messages()).containsExactly("updated traffic-splitter (TrafficSplitter)");
    assertThat(result.warnings())
        .containsExactly(
            "traffic-splitter: the old endpoint /traffic-splitter could not be removed: local:"
                + " unexpose traffic-splitter: route is locked");
    assertThat(cluster.endpointUrl("traffic-splitter").getPath()).isEqualTo("/v2");
  }

  @Test
  void weightsReadBackWrongFailLoudlyAndAreRemoved() {
    RoutingBackend real = cluster.routing();
    Deployer lying = cluster.deployerBuilder().routing(new WeightChangingRouting(real)).build();

    assertThatThrownBy(() -> lying.deploy(EXAMPLE))
        .isInstanceOf(BackendException.class)
        .hasMessageStartingWith("local: verify traffic-splitter: read back ");
    assertThat(deployer.list()).isEmpty();
  }

  @Test
  void concurrentDeploysOfDifferentSplittersAllLand() {
    List<CompletableFuture<Void>> deploys =
        IntStream.range(0, 8)
            .mapToObj(
                i ->
                    CompletableFuture.runAsync(
                        () ->
                            deployer.deploy(
                                SplitterConfig.of(
                                    TrafficSplitter.builder()
                                        .name("ts-" + i)
                                        .target("my-api", 100)
                                        .build()))))
            .toList();
    deploys.forEach(CompletableFuture::join);

    assertThat(deployer.list()).hasSize(8);
  }

  /** Fails every expose: a fault the local gateway itself never produces. */
  private record FailingEndpoints(String message) implements EndpointProvisioner {
    @Override
    public boolean supportsPublicEndpoints() {
      return true;
    }

    @Override
    public void expose(TrafficSplitter splitter) {
      throw new IllegalStateException(message);
    }

    @Override
    public void unexpose(TrafficSplitter splitter) {}

    @Override
    public Optional<URI> url(TrafficSplitter splitter) {
      return Optional.empty();
    }
  }

  /** Exposes fine but cannot remove a route: a fault the local gateway never produces. */
  private static final class EndpointsThatCannotUnexpose implements EndpointProvisioner {
    @Override
    public boolean supportsPublicEndpoints() {
      return true;
    }

    @Override
    public void expose(TrafficSplitter splitter) {}

    @Override
    public void unexpose(TrafficSplitter splitter) {
      throw new IllegalStateException("route is locked");
    }

    @Override
    public Optional<URI> url(TrafficSplitter splitter) {
      return Optional.empty();
    }
  }

  /** Writes every target at weight 50: a backend that silently changes what it was given. */
  private record WeightChangingRouting(RoutingBackend real) implements RoutingBackend {
    @Override
    public BackendCapabilities capabilities() {
      return real.capabilities();
    }

    @Override
    public void apply(TrafficSplitter splitter) {
      TrafficSplitter.Builder changed = splitter.toBuilder().apis(List.of());
      splitter.apis().forEach(api -> changed.target(api.name(), 50));
      real.apply(changed.build());
    }

    @Override
    public Optional<DeployedSplitter> describe(String name) {
      return real.describe(name);
    }

    @Override
    public List<DeployedSplitter> list() {
      return real.list();
    }

    @Override
    public boolean delete(String name) {
      return real.delete(name);
    }
  }
}
