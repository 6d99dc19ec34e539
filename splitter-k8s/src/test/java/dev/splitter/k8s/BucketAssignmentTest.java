package dev.splitter.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitter.InvalidConfigException;
import dev.splitter.core.Deployer;
import dev.splitter.model.ApiGateway;
import dev.splitter.model.Assignment;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.AssignmentMode;
import dev.splitter.spi.Change;
import dev.splitter.spi.RoutingBackend;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPMatchRequest;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRoute;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatch;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchExact;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchRegex;
import io.fabric8.istio.api.networking.v1.VirtualService;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bucket assignment on the real API server, for Istio and the Gateway API: the objects it writes
 * are accepted, and matched as a mesh matches them (each route's header match, in the mesh's order
 * of precedence), every bucket reaches the target that owns it.
 */
class BucketAssignmentTest {
  private static final String HEADER = "x-splitter-bucket";
  private static final List<String> NOT_BUCKETS = List.of("", "0042", "00", "10000", "-1", "abc");
  private TestCluster cluster;

  enum Backend {
    ISTIO,
    GATEWAY_API
  }

  @BeforeEach
  void start() {
    cluster = RealCluster.start();
    cluster.realtimeApi("my-api", 1, 1);
    cluster.realtimeApi("my-api-v2", 1, 1);
    cluster.realtimeApi("shadow-api", 1, 1);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void everyBucketReachesItsOwnerAndARaiseMovesKeysOnlyToTheCandidate(Backend backend) {
    Deployer deployer = deployer(routing(backend, true));
    deployer.deploy(split(90, 10));

    Assignment first = Assignment.of(spec(90, 10));
    assertThat(deployer.describe("ab").assignment()).isEqualTo(first);
    assertThat(deployer.describe("ab").assignmentMode()).isEqualTo(AssignmentMode.byBucket(HEADER));
    assertRoutes(backend, first);

    assertThat(deployer.plan(split(50, 50)).toString())
        .contains("keys moving: 40.00% (to my-api-v2 40.00%)");
    deployer.deploy(split(50, 50));
    Assignment second = first.next(spec(50, 50));
    assertThat(deployer.describe("ab").assignment()).isEqualTo(second);
    assertRoutes(backend, second);
    assertThat(first.movedFraction(second)).isEqualTo(0.40);

    // Deploying the same file again writes nothing and keeps the layout.
    assertThat(deployer.deploy(split(50, 50)).outcomes().get(0).change())
        .isEqualTo(Change.UNCHANGED);
    assertThat(deployer.get("ab").toTable())
        .contains("assignment: by bucket: header x-splitter-bucket")
        .contains("buckets: my-api=0-4999 my-api-v2=5000-9999");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void turningBucketsOffIsAPlannedChangeThatRemovesTheirRoutes(Backend backend) {
    deployer(routing(backend, true)).deploy(split(50, 50));
    Deployer random = deployer(routing(backend, false));

    assertThat(random.plan(split(50, 50)).toString())
        .contains("assignment: by bucket: header x-splitter-bucket")
        .contains("-> random");
    assertThat(random.deploy(split(50, 50)).outcomes().get(0).change()).isEqualTo(Change.UPDATED);

    assertThat(random.describe("ab").assignment()).isNull();
    assertThat(random.describe("ab").assignmentMode()).isEqualTo(AssignmentMode.RANDOM);
    assertThat(routesOf(backend)).allSatisfy(route -> assertThat(route.bucketRegex).isNull());
    assertThat(annotations(backend)).doesNotContainKeys("splitter.dev/buckets");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aShadowIsMirroredFromBucketRoutesToo(Backend backend) {
    Deployer deployer = deployer(routing(backend, true));
    deployer.deploy(
        SplitterConfig.of(
            TrafficSplitter.builder()
                .name("ab")
                .apiGateway(ApiGateway.NONE)
                .target("my-api", 50)
                .target("my-api-v2", 50)
                .shadow("shadow-api", 25)
                .build()));
    assertThat(routesOf(backend))
        .filteredOn(route -> route.pin == null)
        .hasSize(3)
        .allSatisfy(route -> assertThat(route.mirrored).isTrue());
  }

  @org.junit.jupiter.api.Test
  void anHttpRouteWithMoreRulesThanTheGatewayApiAllowsIsRefusedBeforeAnyWrite() {
    Deployer deployer = deployer(routing(Backend.GATEWAY_API, true));
    TrafficSplitter.Builder nine =
        TrafficSplitter.builder().name("wide").apiGateway(ApiGateway.NONE);
    for (int i = 0; i < 9; i++) {
      cluster.realtimeApi("api-" + i, 1, 1);
      nine.target("api-" + i, i == 8 ? 12 : 11);
    }
    assertThatThrownBy(() -> deployer.deploy(SplitterConfig.of(nine.build())))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("with pinning and bucket assignment")
        .hasMessageContaining("needs 19 routes");
    assertThat(
            cluster
                .client
                .resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class)
                .list()
                .getItems())
        .isEmpty();
  }

  /**
   * Every bucket, written as a caller writes it, goes where the layout says; values that are not a
   * bucket match no bucket route; a pinned request stays pinned.
   */
  private void assertRoutes(Backend backend, Assignment layout) {
    List<Route> routes = routesOf(backend);
    for (int bucket = 0; bucket < Assignment.BUCKETS; bucket++) {
      assertThat(matched(routes, null, Integer.toString(bucket)))
          .as("bucket %d", bucket)
          .isEqualTo(layout.ownerOf(bucket));
    }
    for (String value : NOT_BUCKETS) {
      assertThat(matched(routes, null, value)).as("'%s'", value).isEqualTo("weighted");
    }
    assertThat(matched(routes, "my-api-v2", "0")).isEqualTo("my-api-v2");
  }

  /** The route a request takes: the first matching one, in the mesh's order. */
  private static String matched(List<Route> routes, @Nullable String pin, String bucket) {
    for (Route route : routes) {
      if (route.pin != null && route.pin.equals(pin)) {
        return route.target;
      }
      if (route.bucketRegex != null
          && Pattern.compile(route.bucketRegex).matcher(bucket).matches()) {
        return route.target;
      }
      if (route.pin == null && route.bucketRegex == null) {
        return "weighted";
      }
    }
    throw new AssertionError("no route matched");
  }

  /** One route as read back from the server, in the order a mesh tries them. */
  private record Route(
      @Nullable String pin, @Nullable String bucketRegex, String target, boolean mirrored) {}

  private List<Route> routesOf(Backend backend) {
    return switch (backend) {
      case ISTIO -> istioRoutes();
      case GATEWAY_API -> gatewayApiRules();
    };
  }

  /** A VirtualService's routes are tried in order. */
  private List<Route> istioRoutes() {
    VirtualService object = cluster.client.resources(VirtualService.class).withName("ab").get();
    return object.getSpec().getHttp().stream().map(BucketAssignmentTest::route).toList();
  }

  private static Route route(HTTPRoute route) {
    HTTPMatchRequest match = route.getMatch().get(0);
    Map<String, StringMatch> headers = match.getHeaders() == null ? Map.of() : match.getHeaders();
    String pin =
        headers.get("x-splitter-api") == null
            ? null
            : ((StringMatchExact) headers.get("x-splitter-api").getMatchType()).getExact();
    String regex =
        headers.get(HEADER) == null
            ? null
            : ((StringMatchRegex) headers.get(HEADER).getMatchType()).getRegex();
    String host = route.getRoute().get(0).getDestination().getHost();
    return new Route(pin, regex, host, route.getMirror() != null);
  }

  /**
   * An HTTPRoute's rules with a header match come before the one without; among those, list order
   * (the Gateway API's precedence).
   */
  private List<Route> gatewayApiRules() {
    List<HTTPRouteRule> rules =
        cluster
            .client
            .resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class)
            .withName("ab")
            .get()
            .getSpec()
            .getRules();
    List<Route> withHeader =
        rules.stream()
            .filter(rule -> !headers(rule).isEmpty())
            .map(BucketAssignmentTest::rule)
            .toList();
    List<Route> without =
        rules.stream()
            .filter(rule -> headers(rule).isEmpty())
            .map(BucketAssignmentTest::rule)
            .toList();
    return java.util.stream.Stream.concat(withHeader.stream(), without.stream()).toList();
  }

  private static List<HTTPHeaderMatch> headers(HTTPRouteRule rule) {
    HTTPRouteMatch match = rule.getMatches().get(0);
    return match.getHeaders() == null ? List.of() : match.getHeaders();
  }

  private static Route rule(HTTPRouteRule rule) {
    String pin = null;
    String regex = null;
    for (HTTPHeaderMatch header : headers(rule)) {
      if (header.getName().equals("x-splitter-api")) {
        assertThat(header.getType()).isEqualTo("Exact");
        pin = header.getValue();
      } else if (header.getName().equals(HEADER)) {
        assertThat(header.getType()).isEqualTo("RegularExpression");
        regex = header.getValue();
      }
    }
    boolean mirrored =
        rule.getFilters().stream().anyMatch(filter -> "RequestMirror".equals(filter.getType()));
    return new Route(pin, regex, rule.getBackendRefs().get(0).getName(), mirrored);
  }

  private Map<String, String> annotations(Backend backend) {
    return switch (backend) {
      case ISTIO ->
          cluster
              .client
              .resources(VirtualService.class)
              .withName("ab")
              .get()
              .getMetadata()
              .getAnnotations();
      case GATEWAY_API ->
          cluster
              .client
              .resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class)
              .withName("ab")
              .get()
              .getMetadata()
              .getAnnotations();
    };
  }

  private RoutingBackend routing(Backend backend, boolean buckets) {
    return switch (backend) {
      case ISTIO -> {
        IstioRouting.Builder builder = IstioRouting.builder().client(cluster.client);
        yield (buckets ? builder.bucketHeader(HEADER) : builder).build();
      }
      case GATEWAY_API -> {
        GatewayApiRouting.Builder builder = GatewayApiContract.routing(cluster.client);
        yield (buckets ? builder.bucketHeader(HEADER) : builder).build();
      }
    };
  }

  private Deployer deployer(RoutingBackend routing) {
    return Deployer.builder()
        .routing(routing)
        .catalog(KubernetesApiCatalog.builder().client(cluster.client).build())
        .build();
  }

  private static TrafficSplitter spec(int stable, int candidate) {
    return split(stable, candidate).trafficSplitters().get(0);
  }

  private static SplitterConfig split(int stable, int candidate) {
    return SplitterConfig.of(
        TrafficSplitter.builder()
            .name("ab")
            .apiGateway(ApiGateway.NONE)
            .target("my-api", stable)
            .target("my-api-v2", candidate)
            .build());
  }
}
