package dev.splitter.validation;

import static java.util.Objects.requireNonNull;

import dev.splitter.InvalidConfigException;
import dev.splitter.Violation;
import dev.splitter.model.ApiResource;
import dev.splitter.model.RealtimeApi;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.validation.internal.FieldConstraints;
import dev.splitter.validation.internal.FileRules;
import dev.splitter.validation.internal.SplitterRules;
import dev.splitter.validation.internal.ViolationSink;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * Checks a configuration against every rule Cortex had, and reports all violations at once.
 *
 * <p>Field rules (name, weight range, endpoint form) are Jakarta constraints on the model's
 * records, checked by Hibernate Validator; rules across fields and resources (weights summing to
 * 100, unique targets and names and endpoints, one shadow, targets that are Realtime APIs, the API
 * Gateway setting) are checked here.
 *
 * <pre>{@code
 * SplitterValidator validator = SplitterValidator.builder()
 *     .knownApis(Set.of("my-api", "another-my-api"))   // Realtime APIs already deployed
 *     .build();
 * validator.validate(SplitterConfig.load(Path.of("cortex.yaml"))).throwIfInvalid();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the Hibernate Validator engine behind it is built once per JVM, on
 * first use.
 */
@API(status = API.Status.STABLE)
public final class SplitterValidator {
  private final Set<String> knownApis;
  private final boolean apiGatewayEnabled;
  private final boolean fileApisDeployable;

  private SplitterValidator(Builder builder) {
    this.knownApis = Set.copyOf(builder.knownApis);
    this.apiGatewayEnabled = builder.apiGatewayEnabled;
    this.fileApisDeployable = builder.fileApisDeployable;
  }

  /** A validator that knows no deployed Realtime APIs and has an API Gateway. */
  public static SplitterValidator create() {
    return builder().build();
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Validates every resource of {@code config}. Never throws for a broken rule. */
  public ValidationReport validate(SplitterConfig config) {
    requireNonNull(config, "config");
    ViolationSink sink = new ViolationSink(config);
    List<ApiResource> resources = config.resources();
    for (int i = 0; i < resources.size(); i++) {
      FieldConstraints.check(resources.get(i), i, sink);
    }
    FileRules.check(resources, apiGatewayEnabled, sink);
    SplitterRules splitterRules =
        new SplitterRules(
            knownApis, fileApiNames(config), fileApisDeployable, splitterNames(config));
    for (int i = 0; i < resources.size(); i++) {
      if (resources.get(i) instanceof TrafficSplitter splitter) {
        splitterRules.check(splitter, i, sink);
      }
    }
    return new ValidationReport(sink.violations());
  }

  /**
   * A file's reading problems with the rule violations found in what could be read of it ({@link
   * InvalidConfigException#partial()}), in file order, so that one run reports every problem. A
   * rule violation that only restates a reading problem is left out: one at the same field or
   * inside it, the weight sum of a splitter with a weight that could not be read, anything in a
   * resource that could not be read at all.
   *
   * @param rules the violations of the rules in the partial configuration
   */
  public static InvalidConfigException combine(
      InvalidConfigException reading, List<Violation> rules) {
    List<Violation> all = new ArrayList<>(reading.violations());
    for (Violation rule : rules) {
      if (reading.violations().stream().noneMatch(problem -> restates(problem, rule))) {
        all.add(rule);
      }
    }
    all.sort(Violation.inFileOrder());
    return new InvalidConfigException(all, reading.partial().orElse(null));
  }

  private static boolean restates(Violation problem, Violation rule) {
    if (!problem.resource().equals(rule.resource())) {
      return false;
    }
    String at = problem.path();
    return at.isEmpty()
        || at.equals("kind")
        || rule.path().equals(at)
        || rule.path().startsWith(at + ".")
        || rule.path().startsWith(at + "[")
        || (at.startsWith("apis") && rule.code().equals("apis.weight-sum"));
  }

  private static Set<String> fileApiNames(SplitterConfig config) {
    return config.realtimeApis().stream()
        .map(RealtimeApi::name)
        .collect(Collectors.toUnmodifiableSet());
  }

  private static Set<String> splitterNames(SplitterConfig config) {
    return config.trafficSplitters().stream()
        .map(TrafficSplitter::name)
        .collect(Collectors.toUnmodifiableSet());
  }

  /** Builds a {@link SplitterValidator}. Not thread-safe. */
  public static final class Builder {
    private Set<String> knownApis = Set.of();
    private boolean apiGatewayEnabled = true;
    private boolean fileApisDeployable = true;

    private Builder() {}

    /**
     * Realtime APIs already deployed, which splitters may target without defining them in the file.
     * Default: none.
     */
    public Builder knownApis(Collection<String> knownApis) {
      this.knownApis = Set.copyOf(requireNonNull(knownApis, "knownApis"));
      return this;
    }

    /**
     * Whether the environment has an API Gateway; when it has none, {@code api_gateway: public} is
     * an error. Default: true.
     */
    public Builder apiGatewayEnabled(boolean apiGatewayEnabled) {
      this.apiGatewayEnabled = apiGatewayEnabled;
      return this;
    }

    /**
     * Whether the Realtime APIs defined in the file will be deployed with it, and so may be
     * targeted. When not (no one deploys them), a target must be a known API. Default: true.
     */
    public Builder fileApisDeployable(boolean fileApisDeployable) {
      this.fileApisDeployable = fileApisDeployable;
      return this;
    }

    /** Builds the validator. */
    public SplitterValidator build() {
      return new SplitterValidator(this);
    }
  }
}
