package dev.splitter.k8s;

import static java.util.Objects.requireNonNull;

import dev.splitter.k8s.internal.ApiServerErrors;
import dev.splitter.spi.ApiCatalog;
import dev.splitter.spi.ApiState;
import dev.splitter.spi.ApiStatus;
import dev.splitter.support.BackendCalls;
import dev.splitter.support.StoredSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Finds Realtime APIs on a cluster: an API exists when a Service carries its labels (by default
 * Cortex's, {@code apiKind: RealtimeAPI} and {@code apiName: <name>}); its status comes from the
 * Deployments with the same labels.
 *
 * <ul>
 *   <li><b>error</b>: a Deployment reports {@code ReplicaFailure}, or {@code Progressing} is false
 *       (its progress deadline passed), or no Deployment has the labels, or it is scaled to zero;
 *   <li><b>updating</b>: no replica is available yet, or a rollout is under way (updated replicas
 *       short of those requested, old replicas still running, a spec change not yet observed);
 *   <li><b>live</b>: otherwise, with at least one replica available.
 * </ul>
 *
 * <p>Requested is the sum of the Deployments' {@code spec.replicas}; last update is the latest
 * condition change, else the Deployment's creation. Thread-safe.
 *
 * <pre>{@code
 * KubernetesClient client = new KubernetesClientBuilder().build();   // yours; you close it
 * KubernetesApiCatalog catalog = KubernetesApiCatalog.builder()
 *     .client(client)
 *     .namespace("models")
 *     .build();
 * Deployer deployer = Deployer.builder()
 *     .routing(IstioRouting.builder().client(client).namespace("models").build())
 *     .catalog(catalog)
 *     .build();
 * }</pre>
 */
@API(status = API.Status.STABLE)
public final class KubernetesApiCatalog implements ApiCatalog {
  private final BackendCalls calls = ApiServerErrors.calls("kubernetes");
  private final KubernetesClient client;
  private final String namespace;
  private final Map<String, String> selector;
  private final String nameLabel;

  private KubernetesApiCatalog(Builder builder) {
    this.client = builder.requireClient();
    this.namespace = builder.namespaceOrDefault();
    this.selector = Map.copyOf(builder.selector);
    this.nameLabel = builder.nameLabel;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public boolean exists(String apiName) {
    return !call(
            "exists",
            apiName,
            () -> client.services().inNamespace(namespace).withLabels(labels(apiName)).list())
        .getItems()
        .isEmpty();
  }

  @Override
  public ApiStatus status(String apiName) {
    if (!exists(apiName)) {
      return ApiStatus.NOT_DEPLOYED;
    }
    List<Deployment> deployments =
        call(
                "status",
                apiName,
                () ->
                    client
                        .apps()
                        .deployments()
                        .inNamespace(namespace)
                        .withLabels(labels(apiName))
                        .list())
            .getItems();
    if (deployments.isEmpty()) {
      return new ApiStatus(ApiState.ERROR, 0, null);
    }
    int requested = deployments.stream().mapToInt(KubernetesApiCatalog::requested).sum();
    ApiState state =
        deployments.stream()
            .map(KubernetesApiCatalog::state)
            .reduce(ApiState.LIVE, KubernetesApiCatalog::worse);
    Instant lastUpdate =
        deployments.stream()
            .map(KubernetesApiCatalog::lastUpdate)
            .flatMap(Optional::stream)
            .max(Instant::compareTo)
            .orElse(null);
    return new ApiStatus(state, requested, lastUpdate);
  }

  private Map<String, String> labels(String apiName) {
    Map<String, String> labels = new LinkedHashMap<>(selector);
    labels.put(nameLabel, apiName);
    return labels;
  }

  private static int requested(Deployment deployment) {
    Integer replicas = deployment.getSpec() == null ? null : deployment.getSpec().getReplicas();
    return replicas == null ? 1 : replicas; // Kubernetes' default
  }

  private static ApiState state(Deployment deployment) {
    DeploymentStatus status =
        Objects.requireNonNullElseGet(deployment.getStatus(), DeploymentStatus::new);
    int requested = requested(deployment);
    if (failing(status) || requested == 0) {
      return ApiState.ERROR;
    }
    int available = orZero(status.getAvailableReplicas());
    if (available == 0) {
      return ApiState.UPDATING;
    }
    long generation = Objects.requireNonNullElse(deployment.getMetadata().getGeneration(), 0L);
    long observed = Objects.requireNonNullElse(status.getObservedGeneration(), 0L);
    boolean rolledOut =
        observed >= generation
            && orZero(status.getUpdatedReplicas()) >= requested
            && orZero(status.getReplicas()) <= requested;
    return rolledOut ? ApiState.LIVE : ApiState.UPDATING;
  }

  private static boolean failing(DeploymentStatus status) {
    return conditions(status)
        .anyMatch(
            condition ->
                ("ReplicaFailure".equals(condition.getType())
                        && "True".equals(condition.getStatus()))
                    || ("Progressing".equals(condition.getType())
                        && "False".equals(condition.getStatus())));
  }

  private static Optional<Instant> lastUpdate(Deployment deployment) {
    Stream<String> times =
        conditions(Objects.requireNonNullElseGet(deployment.getStatus(), DeploymentStatus::new))
            .flatMap(
                condition ->
                    Stream.of(condition.getLastUpdateTime(), condition.getLastTransitionTime()));
    return Stream.concat(times, Stream.of(deployment.getMetadata().getCreationTimestamp()))
        .map(StoredSpec::instant)
        .flatMap(Optional::stream)
        .max(Instant::compareTo);
  }

  private static Stream<DeploymentCondition> conditions(DeploymentStatus status) {
    return status.getConditions() == null ? Stream.empty() : status.getConditions().stream();
  }

  private static ApiState worse(ApiState a, ApiState b) {
    return severity(a) >= severity(b) ? a : b;
  }

  private static int severity(ApiState state) {
    return switch (state) {
      case LIVE -> 0;
      case UPDATING -> 1;
      case ERROR -> 2;
      case NOT_DEPLOYED -> 3;
    };
  }

  private static int orZero(@Nullable Integer value) {
    return value == null ? 0 : value;
  }

  private <T> T call(String operation, String apiName, Supplier<T> action) {
    return calls.call(operation, "Realtime API " + namespace + "/" + apiName, action);
  }

  /** Builds a {@link KubernetesApiCatalog}. Not thread-safe. */
  public static final class Builder extends ClusterBuilder<Builder> {
    private Map<String, String> selector = Map.of("apiKind", "RealtimeAPI");
    private String nameLabel = "apiName";

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** Labels every Realtime API carries. Default: {@code apiKind: RealtimeAPI}, as in Cortex. */
    public Builder selector(Map<String, String> selector) {
      this.selector = Map.copyOf(selector);
      return this;
    }

    /** The label holding the API's name. Default: {@code apiName}, as in Cortex. */
    public Builder nameLabel(String nameLabel) {
      this.nameLabel = requireNonNull(nameLabel, "nameLabel");
      return this;
    }

    /**
     * Builds the catalog; nothing is read from the cluster yet.
     *
     * @throws IllegalStateException if no client was set
     */
    public KubernetesApiCatalog build() {
      return new KubernetesApiCatalog(this);
    }
  }
}
