package dev.splitter.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitter.InvalidConfigException;
import dev.splitter.Violation;
import dev.splitter.core.BackendException;
import dev.splitter.core.Deployer;
import dev.splitter.core.Display;
import dev.splitter.core.SplitterStatus;
import dev.splitter.model.SplitterConfig;
import dev.splitter.spi.RoutingBackend;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What both Kubernetes backends must do on any cluster: the real API server (with the CRDs' schemas
 * and CEL rules, and every write in strict field validation) and fabric8's mock server. Each
 * backend's abstract subclass says how its object looks; each concrete class picks the cluster, and
 * adds the flows only that cluster can show ({@link ApiServerFlows}, {@link MockServerFaults}).
 */
abstract class KubernetesRoutingContract {
  static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

  TestCluster cluster;
  Deployer deployer;

  /** The cluster the tests run on, started. */
  abstract TestCluster newCluster();

  /** The backend under test, on the cluster's client. */
  public abstract RoutingBackend backend(KubernetesClient client, Clock clock);

  public TestCluster cluster() {
    return cluster;
  }

  public Deployer deployer() {
    return deployer;
  }

  /** The REST path of the routing objects' collection in the test namespace. */
  public abstract String collectionPath();

  public String objectPath(String name) {
    return collectionPath() + "/" + name;
  }

  /** The routing object as stored, or null. */
  public abstract HasMetadata routingObject(String name);

  /** The weights the stored object routes with, shadow last. */
  public abstract List<Integer> liveWeights(String name);

  /** Sets the first destination's weight by hand, as {@code kubectl edit} would. */
  public abstract void editFirstWeight(String name, int weight);

  /** Creates a routing object splitter does not manage, on the backend's gateway. */
  abstract void createForeignRoute(String name, String path, Map<String, String> labels);

  /**
   * The backend's name and the object's kind, as messages give them: "istio: ... VirtualService".
   */
  public abstract String backendAndKind();

  /** The golden file the example with a shadow must serialise to. */
  abstract String goldenFile();

  @BeforeEach
  void start() {
    cluster = newCluster();
    cluster.realtimeApi("my-api", 2, 2);
    cluster.realtimeApi("another-my-api", 3, 0);
    cluster.realtimeApi("shadow-api", 1, 1);
    deployer = deployer(Clock.fixed(T0, ZoneOffset.UTC));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  public Deployer deployer(Clock clock) {
    return Deployer.builder()
        .routing(backend(cluster.client, clock))
        .catalog(KubernetesApiCatalog.builder().client(cluster.client).build())
        .build();
  }

  public SplitterConfig split(int myApiWeight) {
    return SplitterConfig.parse(
        """
        - name: traffic-splitter
          kind: TrafficSplitter
          networking:
            endpoint: /traffic-splitter
            api_gateway: none
          apis:
            - name: my-api
              weight: %d
            - name: another-my-api
              weight: %d
        """
            .formatted(myApiWeight, 100 - myApiWeight),
        "cortex.yaml");
  }

  static SplitterConfig withShadow() {
    return SplitterConfig.parse(
        """
        - name: traffic-splitter
          kind: TrafficSplitter
          networking:
            endpoint: /traffic-splitter
            api_gateway: none
          apis:
            - name: my-api
              weight: 20
            - name: shadow-api
              weight: 30
              shadow: true
            - name: another-my-api
              weight: 80
        """,
        "cortex.yaml");
  }

  @Test
  void seedFlowCreatesUpdatesThenWritesNothing() {
    assertThat(deployer.deploy(split(20)).messages())
        .containsExactly("created traffic-splitter (TrafficSplitter)");
    assertThat(liveWeights("traffic-splitter")).containsExactly(20, 80);

    assertThat(deployer.deploy(split(30)).messages())
        .containsExactly("updated traffic-splitter (TrafficSplitter)");
    assertThat(liveWeights("traffic-splitter")).containsExactly(30, 70);

    String written = routingObject("traffic-splitter").getMetadata().getResourceVersion();
    assertThat(deployer.deploy(split(30)).messages())
        .containsExactly("traffic-splitter (TrafficSplitter) is up to date");
    assertThat(routingObject("traffic-splitter").getMetadata().getResourceVersion())
        .isEqualTo(written);
  }

  @Test
  void getShowsEachTargetsStatusFromItsDeployment() {
    deployer.deploy(split(20));

    SplitterStatus status = deployer.get("traffic-splitter");

    assertThat(status.targets())
        .extracting(
            target -> target.api().name(),
            target -> Display.state(target.status().state()),
            target -> target.status().requested())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("my-api", "live", 2),
            org.assertj.core.groups.Tuple.tuple("another-my-api", "updating", 3));
    assertThat(status.lastUpdated()).isEqualTo(T0);
    assertThat(status.toTable(T0.plusSeconds(90)))
        .contains("my-api", "20", "live", "another-my-api", "80", "updating", "last updated: 1m");
    assertThat(deployer.list())
        .singleElement()
        .satisfies(summary -> assertThat(summary.splitter().name()).isEqualTo("traffic-splitter"));
  }

  @Test
  void deleteRemovesOnlyTheRoutingObject() {
    deployer.deploy(split(20));

    assertThat(deployer.delete("traffic-splitter").messages())
        .containsExactly("deleted traffic-splitter");

    assertThat(routingObject("traffic-splitter")).isNull();
    assertThat(cluster.client.services().list().getItems()).hasSize(3);
    assertThat(cluster.client.apps().deployments().list().getItems()).hasSize(3);
    assertThat(deployer.list()).isEmpty();
  }

  @Test
  void theGeneratedObjectMatchesItsGoldenFile() throws IOException {
    deployer.deploy(withShadow());

    assertThat(Golden.yaml(cluster.client, routingObject("traffic-splitter")))
        .isEqualTo(resource(goldenFile()));
  }

  @Test
  void anEndpointRoutedByAnotherApiIsRefusedBeforeAnyWrite() {
    createForeignRoute("legacy-route", "/traffic-splitter", Map.of("apiName", "legacy-api"));

    assertThatThrownBy(() -> deployer.deploy(split(20)))
        .isInstanceOf(InvalidConfigException.class)
        .extracting(e -> ((InvalidConfigException) e).violations())
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.list(Violation.class))
        .extracting(Violation::toString)
        .containsExactly(
            "cortex.yaml:4:15: traffic-splitter: networking.endpoint: endpoint /traffic-splitter is"
                + " already being used by legacy-api");
    assertThat(routingObject("traffic-splitter")).isNull();
  }

  @Test
  void aNameHeldByAnUnmanagedObjectIsNeverWrittenOrDeleted() {
    createForeignRoute("traffic-splitter", "/somewhere-else", Map.of());
    HasMetadata before = routingObject("traffic-splitter");

    String[] backendAndKind = backendAndKind().split(" ");
    assertThatThrownBy(() -> deployer.deploy(split(20)))
        .isInstanceOf(BackendException.class)
        .hasMessage(
            backendAndKind[0]
                + ": check "
                + backendAndKind[1]
                + " models/traffic-splitter: the name is taken by an object splitter does not"
                + " manage (no label app.kubernetes.io/managed-by=splitter); it is left as it is:"
                + " rename the splitter or remove that object");
    assertThatThrownBy(() -> deployer.delete("traffic-splitter"))
        .isInstanceOf(BackendException.class);
    assertThat(deployer.list()).isEmpty();

    assertThat(routingObject("traffic-splitter")).isEqualTo(before);
  }

  @Test
  void aWeightEditedByHandIsShownAndPutBack() {
    deployer.deploy(split(20));
    editFirstWeight("traffic-splitter", 50);

    assertThat(deployer.get("traffic-splitter").targets().get(0).api().weight()).isEqualTo(50);
    assertThat(deployer.plan(split(20)).toString()).contains("50", "20");
    assertThat(deployer.deploy(split(20)).messages())
        .containsExactly("updated traffic-splitter (TrafficSplitter)");
    assertThat(liveWeights("traffic-splitter")).containsExactly(20, 80);
  }

  @Test
  void aStoredSpecEditedIntoNonsenseIsAClearErrorNamingTheObject() {
    deployer.deploy(split(20));
    HasMetadata object = routingObject("traffic-splitter");
    object.getMetadata().getAnnotations().put("splitter.dev/spec", "[{\"name\": 42}]");
    object.getMetadata().setResourceVersion(null);
    cluster.client.resource(object).update();

    assertThatThrownBy(() -> deployer.get("traffic-splitter"))
        .isInstanceOf(BackendException.class)
        .hasMessageContaining("models/traffic-splitter")
        .hasMessageContaining("cannot be read");
  }

  @Test
  void shadowTrafficIsMirrored() {
    deployer.deploy(withShadow());

    assertThat(liveWeights("traffic-splitter")).containsExactly(20, 80, 30);
    assertThat(deployer.deploy(withShadow()).messages())
        .containsExactly("traffic-splitter (TrafficSplitter) is up to date");
  }

  @Test
  void getSaysTheMirrorsAnswersAreNotComparedAndWhereTheyCanBe() {
    deployer.deploy(withShadow());
    String backend = deployer.capabilities().backend();

    assertThat(deployer.get("traffic-splitter").notes())
        .contains(
            "the shadow's answers are not compared: the "
                + backend
                + " backend's proxy discards a mirror's answers (only its 2XX and 5XX are"
                + " counted); to compare them, send the same traffic through a `splitter serve`"
                + " (the local gateway), with the live API and the candidate as its shadow");
    assertThat(deployer.get("traffic-splitter").shadow()).isNull();
    assertThatThrownBy(() -> deployer.shadowDifferences("traffic-splitter", 10))
        .isInstanceOf(BackendException.class)
        .hasMessageStartingWith(
            backend + ": compare shadow traffic-splitter: the shadow's answers are not compared");
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = KubernetesRoutingContract.class.getResourceAsStream("/" + name)) {
      if (in == null) {
        throw new IOException("no test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
