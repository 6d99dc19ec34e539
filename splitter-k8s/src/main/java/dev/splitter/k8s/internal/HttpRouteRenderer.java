package dev.splitter.k8s.internal;

import dev.splitter.model.Assignment;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.BackendCapabilities;
import dev.splitter.support.LiveRoute;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRequestMirrorFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatchBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteSpec;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A splitter as a Gateway API HTTPRoute: one rule matching the endpoint exactly, a URLRewrite of
 * the full path to {@code /}, weighted backendRefs, and the shadow as a RequestMirror filter with
 * its percent. With pinning, one more rule per target follows, matching the endpoint and the header
 * {@code x-splitter-api: NAME} (a rule with a header match takes precedence over one without) and
 * sending everything to that target; every rule then removes the header. With bucket assignment,
 * one rule per target with weight follows those, matching its buckets in the bucket header by a
 * {@code RegularExpression}, mirrored like the weighted rule (rules with one header match each are
 * taken in list order, so a pinned request stays pinned). Fields the API server would default
 * (group, kind, weight, match types) are written out, so that what is read back equals what was
 * written.
 */
@API(status = API.Status.INTERNAL)
public final class HttpRouteRenderer implements RouteRenderer<HTTPRoute> {
  private static final String MIRROR = "RequestMirror";
  private static final String REWRITE = "URLRewrite";
  private static final String HEADERS = "RequestHeaderModifier";

  private final List<ParentReference> parentRefs;
  private final List<String> hostnames;
  private final int port;
  private final UnaryOperator<String> serviceOf;
  private final Function<TrafficSplitter, List<String>> pinned;
  private final @Nullable String bucketHeader;
  private final String namespace;

  public HttpRouteRenderer(
      List<ParentReference> parentRefs,
      List<String> hostnames,
      int port,
      UnaryOperator<String> serviceOf,
      Function<TrafficSplitter, List<String>> pinned,
      @Nullable String bucketHeader,
      String namespace) {
    this.pinned = pinned;
    this.bucketHeader = bucketHeader;
    this.parentRefs = List.copyOf(parentRefs);
    this.hostnames = List.copyOf(hostnames);
    this.port = port;
    this.serviceOf = serviceOf;
    this.namespace = namespace;
  }

  @Override
  public HTTPRoute build(ObjectMeta meta, TrafficSplitter splitter, @Nullable Assignment buckets) {
    List<String> pinnedTargets = pinned.apply(splitter);
    HTTPRouteRuleBuilder weighted = mirrored(rule(splitter, pinnedTargets, null), splitter);
    for (TargetApi api : splitter.liveTargets()) {
      weighted.addToBackendRefs(backendRef(api.name(), api.weight()));
    }
    List<HTTPRouteRule> rules = new ArrayList<>();
    rules.add(weighted.build());
    for (String api : pinnedTargets) {
      HTTPHeaderMatch pin = new HTTPHeaderMatch(BackendCapabilities.PIN_HEADER, "Exact", api);
      rules.add(rule(splitter, pinnedTargets, pin).addToBackendRefs(backendRef(api, 1)).build());
    }
    if (buckets != null && bucketHeader != null) {
      for (String api : buckets.shares().keySet()) {
        HTTPHeaderMatch owned =
            new HTTPHeaderMatch(bucketHeader, "RegularExpression", BucketPatterns.of(buckets, api));
        rules.add(
            mirrored(rule(splitter, pinnedTargets, owned), splitter)
                .addToBackendRefs(backendRef(api, 1))
                .build());
      }
    }
    return new HTTPRouteBuilder()
        .withMetadata(meta)
        .withNewSpec()
        .withParentRefs(parentRefs)
        .withHostnames(hostnames.isEmpty() ? null : hostnames)
        .withRules(rules)
        .endSpec()
        .build();
  }

  /** The rule with a RequestMirror filter for the splitter's shadow, if it has one. */
  private HTTPRouteRuleBuilder mirrored(HTTPRouteRuleBuilder rule, TrafficSplitter splitter) {
    for (TargetApi api : splitter.apis()) {
      if (api.shadow()) {
        rule.addNewFilter()
            .withType(MIRROR)
            .withNewRequestMirror()
            .withNewBackendRef()
            .withGroup("")
            .withKind("Service")
            .withName(serviceOf.apply(api.name()))
            .withPort(port)
            .endBackendRef()
            .withPercent(api.weight())
            .endRequestMirror()
            .endFilter();
      }
    }
    return rule;
  }

  /**
   * A rule matching the endpoint exactly (and, for a pinned or bucket rule, a header), rewritten to
   * {@code /}; with pinning, it removes the pin header.
   */
  private static HTTPRouteRuleBuilder rule(
      TrafficSplitter splitter, List<String> pinnedTargets, @Nullable HTTPHeaderMatch header) {
    HTTPRouteMatchBuilder match =
        new HTTPRouteMatchBuilder()
            .withNewPath()
            .withType("Exact")
            .withValue(splitter.networking().endpoint())
            .endPath();
    if (header != null) {
      match.addToHeaders(header);
    }
    HTTPRouteRuleBuilder rule =
        new HTTPRouteRuleBuilder()
            .withMatches(match.build())
            .addNewFilter()
            .withType(REWRITE)
            .withNewUrlRewrite()
            .withNewPath()
            .withType("ReplaceFullPath")
            .withReplaceFullPath("/")
            .endPath()
            .endUrlRewrite()
            .endFilter();
    if (!pinnedTargets.isEmpty()) {
      rule.addNewFilter()
          .withType(HEADERS)
          .withNewRequestHeaderModifier()
          .withRemove(BackendCapabilities.PIN_HEADER)
          .endRequestHeaderModifier()
          .endFilter();
    }
    return rule;
  }

  private HTTPBackendRef backendRef(String api, int weight) {
    return new HTTPBackendRefBuilder()
        .withGroup("")
        .withKind("Service")
        .withName(serviceOf.apply(api))
        .withPort(port)
        .withWeight(weight)
        .build();
  }

  @Override
  public Object spec(HTTPRoute object) {
    return Objects.requireNonNullElse(object.getSpec(), "");
  }

  @Override
  public LiveRoute live(HTTPRoute object) {
    List<HTTPRouteRule> rules = rules(object);
    if (rules.isEmpty()) {
      return new LiveRoute("", List.of());
    }
    // The weighted rule is the first: pinned ones, if any, follow it.
    HTTPRouteRule rule = rules.get(0);
    String endpoint =
        nullToEmpty(rule.getMatches()).stream()
            .map(HTTPRouteMatch::getPath)
            .filter(path -> path != null && "Exact".equals(path.getType()))
            .map(HTTPPathMatch::getValue)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse("");
    List<LiveRoute.WeightedRef> targets = new ArrayList<>();
    for (HTTPBackendRef ref : nullToEmpty(rule.getBackendRefs())) {
      // The Gateway API's default weight is 1.
      int weight = ref.getWeight() == null ? 1 : ref.getWeight();
      targets.add(new LiveRoute.WeightedRef(Objects.toString(ref.getName(), ""), weight, false));
    }
    for (HTTPRouteFilter filter : nullToEmpty(rule.getFilters())) {
      mirror(filter).ifPresent(targets::add);
    }
    return new LiveRoute(endpoint, targets);
  }

  private static Optional<LiveRoute.WeightedRef> mirror(HTTPRouteFilter filter) {
    HTTPRequestMirrorFilter mirror = filter.getRequestMirror();
    if (!MIRROR.equals(filter.getType()) || mirror == null || mirror.getBackendRef() == null) {
      return Optional.empty();
    }
    int percent = 100;
    if (mirror.getPercent() != null) {
      percent = mirror.getPercent();
    } else if (mirror.getFraction() != null && mirror.getFraction().getNumerator() != null) {
      int denominator = Objects.requireNonNullElse(mirror.getFraction().getDenominator(), 100);
      percent = Math.round(100f * mirror.getFraction().getNumerator() / denominator);
    }
    String name = Objects.toString(mirror.getBackendRef().getName(), "");
    return Optional.of(new LiveRoute.WeightedRef(name, percent, true));
  }

  @Override
  public List<String> pinned(HTTPRoute object) {
    return rules(object).stream()
        .flatMap(rule -> nullToEmpty(rule.getMatches()).stream())
        .flatMap(match -> nullToEmpty(match.getHeaders()).stream())
        .filter(header -> BackendCapabilities.PIN_HEADER.equals(header.getName()))
        .map(header -> header.getValue())
        .filter(Objects::nonNull)
        .toList();
  }

  @Override
  public String refOf(String apiName) {
    return serviceOf.apply(apiName);
  }

  @Override
  public boolean serves(HTTPRoute object, String endpoint) {
    HTTPRouteSpec spec = object.getSpec();
    if (spec == null) {
      return false;
    }
    String routeNamespace =
        Objects.requireNonNullElse(object.getMetadata().getNamespace(), namespace);
    boolean sharesGateway =
        nullToEmpty(spec.getParentRefs()).stream()
            .anyMatch(
                theirs ->
                    parentRefs.stream()
                        .anyMatch(ours -> sameGateway(ours, theirs, routeNamespace)));
    return sharesGateway
        && rules(object).stream()
            .flatMap(rule -> nullToEmpty(rule.getMatches()).stream())
            .map(HTTPRouteMatch::getPath)
            .anyMatch(path -> matchesPath(path, endpoint));
  }

  /** The same parent: a Gateway, or a Service for mesh routing, by kind, name and namespace. */
  private boolean sameGateway(ParentReference ours, ParentReference theirs, String theirNamespace) {
    return kind(ours).equals(kind(theirs))
        && Objects.equals(ours.getName(), theirs.getName())
        && Objects.requireNonNullElse(ours.getNamespace(), namespace)
            .equals(Objects.requireNonNullElse(theirs.getNamespace(), theirNamespace));
  }

  /** The parent's kind as the API defaults it: {@code Gateway}. */
  private static String kind(ParentReference ref) {
    return Objects.requireNonNullElse(ref.getKind(), "Gateway");
  }

  /** An Exact or PathPrefix match on the path itself. */
  private static boolean matchesPath(@Nullable HTTPPathMatch path, String endpoint) {
    if (path == null || path.getValue() == null) {
      return false;
    }
    String value = path.getValue();
    return endpoint.equals(value)
        || ("PathPrefix".equals(path.getType()) && (endpoint + "/").equals(value));
  }

  private static List<HTTPRouteRule> rules(HTTPRoute object) {
    return object.getSpec() == null ? List.of() : nullToEmpty(object.getSpec().getRules());
  }

  private static <E> List<E> nullToEmpty(@Nullable List<E> list) {
    return list == null ? List.of() : list;
  }
}
