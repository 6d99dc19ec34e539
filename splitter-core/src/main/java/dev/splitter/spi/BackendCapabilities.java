package dev.splitter.spi;

import static java.util.Objects.requireNonNull;

import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * What a routing backend can realise, so that a spec it cannot honour fails validation before
 * anything is written. The {@code Deployer} reports {@link #check}'s problems with the file's own
 * line and column; a backend may call {@link #check} again before it writes.
 *
 * <pre>{@code
 * BackendCapabilities alb = BackendCapabilities.builder("alb")
 *     .shadows(false)
 *     .maxTargets(5)
 *     .maxEndpointLength(128)
 *     .build();
 * }</pre>
 *
 * @param backend the backend's name for messages, such as {@code alb}
 * @param shadows whether it can mirror traffic to a shadow target
 * @param maxTargets the most targets one splitter may have
 * @param maxEndpointLength the longest endpoint the backend can match (an ALB path pattern: 128)
 * @param pinning whether the backend routes a request carrying {@value #PIN_HEADER}{@code : NAME}
 *     to that target (one extra route per target with live traffic, ahead of the weighted one)
 * @param maxRoutes the most routes (rules) one splitter's routing object holds, the weighted route
 *     and the pinned ones together (an HTTPRoute: 16)
 * @param annotations whether the backend keeps {@linkplain RoutingBackend#annotations annotations}
 *     and implements {@link RoutingBackend#annotateIf} and {@link RoutingBackend#applyIf}, which a
 *     rollout needs to keep its state
 * @param assignment how the backend keeps one user's requests on one target
 */
@API(status = API.Status.STABLE)
public record BackendCapabilities(
    String backend,
    boolean shadows,
    int maxTargets,
    int maxEndpointLength,
    boolean pinning,
    int maxRoutes,
    boolean annotations,
    AssignmentMode assignment) {

  /**
   * The request header that pins a request to one target; also the header the local gateway puts on
   * its answers to say which target answered.
   */
  public static final String PIN_HEADER = "x-splitter-api";

  public BackendCapabilities {
    requireNonNull(backend, "backend");
    if (maxTargets < 1) {
      throw new IllegalArgumentException("maxTargets must be >= 1, got " + maxTargets);
    }
    if (maxEndpointLength < 2) {
      throw new IllegalArgumentException(
          "maxEndpointLength must be >= 2, got " + maxEndpointLength);
    }
    if (maxRoutes < 1) {
      throw new IllegalArgumentException("maxRoutes must be >= 1, got " + maxRoutes);
    }
    requireNonNull(assignment, "assignment");
  }

  /** Capabilities of a backend that draws every request at random. */
  public BackendCapabilities(
      String backend,
      boolean shadows,
      int maxTargets,
      int maxEndpointLength,
      boolean pinning,
      int maxRoutes,
      boolean annotations) {
    this(
        backend,
        shadows,
        maxTargets,
        maxEndpointLength,
        pinning,
        maxRoutes,
        annotations,
        AssignmentMode.RANDOM);
  }

  /**
   * The routes one splitter's routing object holds: the weighted one, a pinned one per live target
   * when pinning, and with {@link AssignmentMode.Kind#BUCKET} one per live target with weight.
   */
  public int routes(TrafficSplitter splitter) {
    int bucketRoutes =
        assignment.kind() == AssignmentMode.Kind.BUCKET
            ? (int) splitter.liveTargets().stream().filter(api -> api.weight() > 0).count()
            : 0;
    return 1 + pinnedTargets(splitter).size() + bucketRoutes;
  }

  /** The targets a pinned route is written for: every target that is not a shadow, in order. */
  public List<String> pinnedTargets(TrafficSplitter splitter) {
    if (!pinning) {
      return List.of();
    }
    return splitter.apis().stream().filter(api -> !api.shadow()).map(TargetApi::name).toList();
  }

  /** A builder for a backend of this name; every capability starts unlimited. */
  public static Builder builder(String backend) {
    return new Builder(backend);
  }

  /**
   * What in the splitter this backend cannot realise; empty when it fits.
   *
   * @return one problem per field, in the spec's order
   */
  public List<Problem> check(TrafficSplitter splitter) {
    List<Problem> problems = new ArrayList<>();
    List<TargetApi> apis = splitter.apis();
    if (apis.size() > maxTargets) {
      problems.add(
          new Problem(
              "apis",
              "backend.max-targets",
              "the "
                  + backend
                  + " backend routes to at most "
                  + maxTargets
                  + " apis, found "
                  + apis.size()));
    }
    for (int i = 0; i < apis.size(); i++) {
      if (apis.get(i).shadow() && !shadows) {
        problems.add(
            new Problem(
                "apis[" + i + "].shadow",
                "backend.no-shadow",
                "the " + backend + " backend cannot mirror traffic to a shadow api"));
      }
    }
    int routes = routes(splitter);
    if (routes > maxRoutes) {
      boolean buckets = assignment.kind() == AssignmentMode.Kind.BUCKET;
      problems.add(
          new Problem(
              "apis",
              "backend.max-routes",
              "with "
                  + (buckets ? "pinning and bucket assignment" : "pinning")
                  + ", the "
                  + backend
                  + " backend needs "
                  + routes
                  + " routes for this splitter (one per target"
                  + (buckets ? " for each" : "")
                  + ", one weighted) and holds at most "
                  + maxRoutes
                  + "; use fewer targets or turn "
                  + (buckets ? "pinning or bucket assignment" : "pinning")
                  + " off"));
    }
    int endpointLength = splitter.networking().endpoint().length();
    if (endpointLength > maxEndpointLength) {
      problems.add(
          new Problem(
              "networking.endpoint",
              "backend.endpoint-too-long",
              "the "
                  + backend
                  + " backend matches endpoints of at most "
                  + maxEndpointLength
                  + " characters, found "
                  + endpointLength));
    }
    return problems;
  }

  /**
   * One thing a backend cannot realise.
   *
   * @param path the field, as validation errors name it: {@code apis[1].shadow}
   * @param code a stable code, such as {@code backend.no-shadow}
   * @param message the problem in words
   */
  public record Problem(String path, String code, String message) {
    public Problem {
      requireNonNull(path, "path");
      requireNonNull(code, "code");
      requireNonNull(message, "message");
    }
  }

  /** Builds {@link BackendCapabilities}. Not thread-safe. */
  public static final class Builder {
    private final String backend;
    private boolean shadows = true;
    private int maxTargets = Integer.MAX_VALUE;
    private int maxEndpointLength = Integer.MAX_VALUE;
    private boolean pinning;
    private int maxRoutes = Integer.MAX_VALUE;
    private boolean annotations;
    private AssignmentMode assignment = AssignmentMode.RANDOM;

    private Builder(String backend) {
      this.backend = requireNonNull(backend, "backend");
    }

    /** Whether shadow targets can be mirrored to. Default: true. */
    public Builder shadows(boolean shadows) {
      this.shadows = shadows;
      return this;
    }

    /** The most targets one splitter may have. Default: no limit. */
    public Builder maxTargets(int maxTargets) {
      this.maxTargets = maxTargets;
      return this;
    }

    /** The longest endpoint the backend can match. Default: no limit. */
    public Builder maxEndpointLength(int maxEndpointLength) {
      this.maxEndpointLength = maxEndpointLength;
      return this;
    }

    /**
     * Whether requests carrying {@value BackendCapabilities#PIN_HEADER} are pinned. Default: false.
     */
    public Builder pinning(boolean pinning) {
      this.pinning = pinning;
      return this;
    }

    /** The most routes one splitter's routing object holds. Default: no limit. */
    public Builder maxRoutes(int maxRoutes) {
      this.maxRoutes = maxRoutes;
      return this;
    }

    /**
     * Whether the backend keeps annotations ({@link RoutingBackend#annotateIf}, {@link
     * RoutingBackend#applyIf}). Default: false.
     */
    public Builder annotations(boolean annotations) {
      this.annotations = annotations;
      return this;
    }

    /** How the backend keeps one user's requests on one target. Default: random. */
    public Builder assignment(AssignmentMode assignment) {
      this.assignment = requireNonNull(assignment, "assignment");
      return this;
    }

    /**
     * Builds the capabilities.
     *
     * @throws IllegalArgumentException if a limit is out of range
     */
    public BackendCapabilities build() {
      return new BackendCapabilities(
          backend,
          shadows,
          maxTargets,
          maxEndpointLength,
          pinning,
          maxRoutes,
          annotations,
          assignment);
    }
  }
}
