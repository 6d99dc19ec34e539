package dev.splitter.k8s.internal;

import dev.splitter.model.Assignment;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.BackendCapabilities;
import dev.splitter.support.LiveRoute;
import io.fabric8.istio.api.api.networking.v1alpha3.Destination;
import io.fabric8.istio.api.api.networking.v1alpha3.DestinationBuilder;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPMatchRequest;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPMatchRequestBuilder;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRoute;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRouteBuilder;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRouteDestination;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatch;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchBuilder;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchExact;
import io.fabric8.istio.api.api.networking.v1alpha3.StringMatchPrefix;
import io.fabric8.istio.api.api.networking.v1alpha3.VirtualService;
import io.fabric8.istio.api.api.networking.v1alpha3.VirtualServiceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A splitter as an Istio VirtualService, shaped as Cortex made it: one HTTP route matching the
 * endpoint exactly, rewritten to {@code /}, no retries, one weighted destination per target, and
 * the shadow as {@code mirror} with {@code mirrorPercentage}. With pinning, one route per target
 * comes first, matching the endpoint and {@code x-splitter-api: NAME} and sending everything to
 * that target; every route then removes that header before forwarding. With bucket assignment, one
 * route per target with weight follows, matching its buckets in the bucket header by a regular
 * expression, mirrored like the weighted route. The weighted route comes last.
 *
 * @param <T> the VirtualService resource of the chosen API version
 */
@API(status = API.Status.INTERNAL)
public final class VirtualServiceRenderer<T extends HasMetadata> implements RouteRenderer<T> {
  private static final String PIN_HEADER = BackendCapabilities.PIN_HEADER;

  private final List<String> gateways;
  private final List<String> hosts;
  private final long port;
  private final UnaryOperator<String> hostOf;
  private final Function<TrafficSplitter, List<String>> pinned;
  private final @Nullable String bucketHeader;
  private final BiFunction<ObjectMeta, VirtualService, T> wrap;
  private final Function<T, @Nullable VirtualService> unwrap;

  /**
   * @param hostOf the destination host of a target API
   * @param pinned the targets that get a pinned route; none without pinning
   * @param bucketHeader the header bucket routes match; null without bucket assignment
   * @param wrap makes the resource from metadata and spec
   * @param unwrap the resource's spec
   */
  public VirtualServiceRenderer(
      List<String> gateways,
      List<String> hosts,
      long port,
      UnaryOperator<String> hostOf,
      Function<TrafficSplitter, List<String>> pinned,
      @Nullable String bucketHeader,
      BiFunction<ObjectMeta, VirtualService, T> wrap,
      Function<T, @Nullable VirtualService> unwrap) {
    this.gateways = List.copyOf(gateways);
    this.hosts = List.copyOf(hosts);
    this.port = port;
    this.hostOf = hostOf;
    this.pinned = pinned;
    this.bucketHeader = bucketHeader;
    this.wrap = wrap;
    this.unwrap = unwrap;
  }

  @Override
  public T build(ObjectMeta meta, TrafficSplitter splitter, @Nullable Assignment buckets) {
    List<String> pinnedTargets = pinned.apply(splitter);
    List<HTTPRoute> routes = new ArrayList<>();
    for (String api : pinnedTargets) {
      HTTPRouteBuilder route =
          route(splitter.name() + "-" + api, splitter, pinnedTargets, PIN_HEADER, exact(api));
      routes.add(
          route.addNewRoute().withDestination(destination(api)).withWeight(100).endRoute().build());
    }
    if (buckets != null && bucketHeader != null) {
      for (String api : buckets.shares().keySet()) {
        StringMatch owned =
            new StringMatchBuilder()
                .withNewStringMatchRegexType(BucketPatterns.of(buckets, api))
                .build();
        HTTPRouteBuilder route =
            route(
                splitter.name() + "-buckets-" + api, splitter, pinnedTargets, bucketHeader, owned);
        route.addNewRoute().withDestination(destination(api)).withWeight(100).endRoute();
        routes.add(mirrored(route, splitter).build());
      }
    }
    HTTPRouteBuilder route = route(splitter.name(), splitter, pinnedTargets, null, null);
    for (TargetApi api : splitter.liveTargets()) {
      route
          .addNewRoute()
          .withDestination(destination(api.name()))
          .withWeight(api.weight())
          .endRoute();
    }
    routes.add(mirrored(route, splitter).build());
    VirtualService spec =
        new VirtualServiceBuilder()
            .withHosts(hosts)
            .withGateways(gateways)
            .withHttp(routes)
            .build();
    return wrap.apply(meta, spec);
  }

  /** The route with the splitter's shadow, if it has one, as its mirror. */
  private HTTPRouteBuilder mirrored(HTTPRouteBuilder route, TrafficSplitter splitter) {
    splitter.apis().stream()
        .filter(TargetApi::shadow)
        .forEach(
            shadow ->
                route
                    .withMirror(destination(shadow.name()))
                    .withNewMirrorPercentage(shadow.weight() * 1.0));
    return route;
  }

  private static StringMatch exact(String value) {
    return new StringMatchBuilder().withNewStringMatchExactType(value).build();
  }

  /**
   * A route matching the endpoint exactly (and, for a pinned or bucket route, a header), rewritten
   * to {@code /}, without retries; with pinning, it removes the pin header.
   */
  private static HTTPRouteBuilder route(
      String name,
      TrafficSplitter splitter,
      List<String> pinnedTargets,
      @Nullable String header,
      @Nullable StringMatch headerMatch) {
    StringMatch path =
        new StringMatchBuilder()
            .withNewStringMatchExactType(splitter.networking().endpoint())
            .build();
    HTTPMatchRequestBuilder match = new HTTPMatchRequestBuilder().withUri(path);
    if (header != null && headerMatch != null) {
      match.addToHeaders(header, headerMatch);
    }
    HTTPRouteBuilder route =
        new HTTPRouteBuilder()
            .withName(name)
            .withMatch(match.build())
            .withNewRewrite()
            .withUri("/")
            .endRewrite()
            .withNewRetries()
            .withAttempts(0)
            .endRetries();
    if (!pinnedTargets.isEmpty()) {
      route.withNewHeaders().withNewRequest().withRemove(PIN_HEADER).endRequest().endHeaders();
    }
    return route;
  }

  private Destination destination(String apiName) {
    return new DestinationBuilder()
        .withHost(hostOf.apply(apiName))
        .withNewPort()
        .withNumber(port)
        .endPort()
        .build();
  }

  @Override
  public Object spec(T object) {
    return Optional.ofNullable(unwrap.apply(object)).map(Object.class::cast).orElse("");
  }

  @Override
  public LiveRoute live(T object) {
    List<HTTPRoute> routes = http(object);
    if (routes.isEmpty()) {
      return new LiveRoute("", List.of());
    }
    // The weighted route is the last: pinned ones, if any, come before it.
    HTTPRoute route = routes.get(routes.size() - 1);
    String endpoint =
        nullToEmpty(route.getMatch()).stream()
            .map(match -> exactValue(match.getUri()))
            .flatMap(Optional::stream)
            .findFirst()
            .orElse("");
    List<LiveRoute.WeightedRef> targets = new ArrayList<>();
    for (HTTPRouteDestination destination : nullToEmpty(route.getRoute())) {
      int weight = destination.getWeight() == null ? 0 : destination.getWeight();
      targets.add(new LiveRoute.WeightedRef(host(destination.getDestination()), weight, false));
    }
    if (route.getMirror() != null) {
      double percent =
          route.getMirrorPercentage() == null || route.getMirrorPercentage().getValue() == null
              ? 100
              : route.getMirrorPercentage().getValue();
      targets.add(
          new LiveRoute.WeightedRef(host(route.getMirror()), (int) Math.round(percent), true));
    }
    return new LiveRoute(endpoint, targets);
  }

  @Override
  public List<String> pinned(T object) {
    return http(object).stream()
        .flatMap(route -> nullToEmpty(route.getMatch()).stream())
        .map(match -> match.getHeaders() == null ? null : match.getHeaders().get(PIN_HEADER))
        .map(VirtualServiceRenderer::exactValue)
        .flatMap(Optional::stream)
        .toList();
  }

  @Override
  public String refOf(String apiName) {
    return hostOf.apply(apiName);
  }

  @Override
  public boolean serves(T object, String endpoint) {
    VirtualService spec = unwrap.apply(object);
    if (spec == null || Collections.disjoint(nullToEmpty(spec.getGateways()), gateways)) {
      return false;
    }
    return http(object).stream()
        .flatMap(route -> nullToEmpty(route.getMatch()).stream())
        .map(HTTPMatchRequest::getUri)
        .anyMatch(uri -> matchesPath(uri, endpoint));
  }

  private List<HTTPRoute> http(T object) {
    VirtualService spec = unwrap.apply(object);
    return spec == null ? List.of() : nullToEmpty(spec.getHttp());
  }

  private static Optional<String> exactValue(@Nullable StringMatch match) {
    if (match != null && match.getMatchType() instanceof StringMatchExact exact) {
      return Optional.ofNullable(exact.getExact());
    }
    return Optional.empty();
  }

  /** An exact or prefix match on the path itself (Cortex routed its APIs by either). */
  private static boolean matchesPath(@Nullable StringMatch uri, String endpoint) {
    if (uri == null) {
      return false;
    }
    if (uri.getMatchType() instanceof StringMatchExact exact) {
      return endpoint.equals(exact.getExact());
    }
    if (uri.getMatchType() instanceof StringMatchPrefix prefix) {
      String path = prefix.getPrefix();
      return endpoint.equals(path) || (endpoint + "/").equals(path);
    }
    return false;
  }

  private static String host(@Nullable Destination destination) {
    return destination == null || destination.getHost() == null ? "" : destination.getHost();
  }

  private static <E> List<E> nullToEmpty(@Nullable List<E> list) {
    return list == null ? List.of() : list;
  }
}
