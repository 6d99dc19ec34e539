package dev.splitter.model;

import static java.util.Objects.requireNonNull;

import dev.splitter.model.internal.Required;
import dev.splitter.model.internal.ResourceName;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A Traffic Splitter: one endpoint that sends each request, at random and by weight, to one of
 * several Realtime APIs.
 *
 * <p>Immutable. Build one in code with {@link #builder()}:
 *
 * <pre>{@code
 * TrafficSplitter splitter = TrafficSplitter.builder()
 *     .name("traffic-splitter")
 *     .target("my-api", 20)
 *     .target("another-my-api", 80)
 *     .build();
 * }</pre>
 *
 * <p>Records are not validated on construction beyond non-null checks, so that a validator can
 * report every problem at once; see {@code dev.splitter.validation.SplitterValidator}.
 *
 * @param name the splitter's name
 * @param networking the splitter's endpoint (default {@code /name}) and API Gateway setting
 * @param apis the target APIs, in file order
 */
@API(status = API.Status.STABLE)
public record TrafficSplitter(
    @ResourceName String name,
    @Valid Networking networking,
    @NotEmpty(message = "{dev.splitter.apis.required}") List<@Valid TargetApi> apis)
    implements ApiResource {

  public TrafficSplitter {
    requireNonNull(name, "name");
    requireNonNull(networking, "networking");
    apis = List.copyOf(requireNonNull(apis, "apis"));
  }

  @Override
  public ResourceKind kind() {
    return ResourceKind.TRAFFIC_SPLITTER;
  }

  /** The targets that receive real traffic, in file order. */
  public List<TargetApi> liveTargets() {
    return apis.stream().filter(api -> !api.shadow()).toList();
  }

  /** A new builder. Without an endpoint, the splitter is reached at {@code /name}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this splitter's values. */
  public Builder toBuilder() {
    Builder builder = new Builder().name(name).apis(apis);
    builder.endpoint = networking.endpoint();
    builder.apiGateway = networking.apiGateway();
    return builder;
  }

  /** Builds a {@link TrafficSplitter}. Not thread-safe; {@link #build()} may be called again. */
  public static final class Builder {
    private @Nullable String name;
    private @Nullable String endpoint;
    private ApiGateway apiGateway = ApiGateway.PUBLIC;
    private final List<TargetApi> apis = new ArrayList<>();

    private Builder() {}

    /** The splitter's name; required. */
    public Builder name(String name) {
      this.name = requireNonNull(name, "name");
      return this;
    }

    /** The endpoint path; made canonical. Defaults to {@code "/" + name}. */
    public Builder endpoint(String endpoint) {
      this.endpoint = requireNonNull(endpoint, "endpoint");
      return this;
    }

    /** Whether a public API Gateway route is created. Defaults to {@link ApiGateway#PUBLIC}. */
    public Builder apiGateway(ApiGateway apiGateway) {
      this.apiGateway = requireNonNull(apiGateway, "apiGateway");
      return this;
    }

    /** Adds a target that receives {@code weight} percent of the requests. */
    public Builder target(String apiName, int weight) {
      return api(TargetApi.of(apiName, weight));
    }

    /** Adds a shadow target that receives a copy of {@code weight} percent of the requests. */
    public Builder shadow(String apiName, int weight) {
      return api(TargetApi.shadowOf(apiName, weight));
    }

    /** Adds a target. */
    public Builder api(TargetApi api) {
      apis.add(requireNonNull(api, "api"));
      return this;
    }

    /** Replaces every target. */
    public Builder apis(List<TargetApi> apis) {
      this.apis.clear();
      apis.forEach(this::api);
      return this;
    }

    /**
     * Builds the splitter.
     *
     * @throws IllegalStateException if no name was set
     */
    public TrafficSplitter build() {
      String required = Required.value(name, "name");
      String path = endpoint != null ? endpoint : "/" + required;
      return new TrafficSplitter(required, new Networking(path, apiGateway), apis);
    }
  }
}
