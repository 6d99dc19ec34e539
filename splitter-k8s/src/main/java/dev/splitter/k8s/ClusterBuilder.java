package dev.splitter.k8s;

import static java.util.Objects.requireNonNull;

import dev.splitter.model.internal.Required;
import dev.splitter.spi.AssignmentMode;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What every Kubernetes builder takes: the caller's client and a namespace; routing builders add
 * the target port, the Service resolver and a clock.
 *
 * @param <B> the concrete builder, returned by each setter
 */
abstract class ClusterBuilder<B extends ClusterBuilder<B>> {
  @Nullable KubernetesClient client;
  @Nullable String namespace;
  int targetPort = 8888;
  ServiceResolver services = ServiceResolver.sameName();
  Clock clock = Clock.systemUTC();
  boolean pinning = true;
  AssignmentMode assignment = AssignmentMode.RANDOM;

  abstract B self();

  /** The client to talk to the cluster with. Required; closing it stays the caller's job. */
  public B client(KubernetesClient client) {
    this.client = requireNonNull(client, "client");
    return self();
  }

  /** The namespace to work in. Default: the client's namespace, else {@code default}. */
  public B namespace(String namespace) {
    this.namespace = requireNonNull(namespace, "namespace");
    return self();
  }

  KubernetesClient requireClient() {
    return Required.value(client, "client");
  }

  String namespaceOrDefault() {
    if (namespace != null) {
      return namespace;
    }
    return Optional.ofNullable(requireClient().getNamespace()).orElse("default");
  }

  /** Settings shared by the routing builders. */
  abstract static class Routing<B extends Routing<B>> extends ClusterBuilder<B> {

    /** The port each target's Service listens on. Default: 8888, Cortex's proxy port. */
    public B targetPort(int targetPort) {
      if (targetPort < 1 || targetPort > 65535) {
        throw new IllegalArgumentException("targetPort must be 1..65535, got " + targetPort);
      }
      this.targetPort = targetPort;
      return self();
    }

    /** The Service (Istio: destination host) of each target. Default: named after the API. */
    public B serviceResolver(ServiceResolver services) {
      this.services = requireNonNull(services, "services");
      return self();
    }

    /**
     * Whether a request carrying {@code x-splitter-api: NAME} goes to that target when NAME is one
     * of the splitter's targets and not its shadow: one extra route per target, matching the
     * header, ahead of the weighted route; the header is removed before it reaches the target.
     * Default: yes.
     */
    public B pinning(boolean pinning) {
      this.pinning = pinning;
      return self();
    }

    /**
     * Keyed users stay on one target: a request carrying, in {@code header}, its key's bucket as
     * {@link dev.splitter.model.Assignment#bucket Assignment.bucket(splitter, key)} computes it (a
     * decimal number, 0 to 9999), goes to the target that owns that bucket. The routing object
     * holds one route per target with weight, matching its buckets by a regular expression ahead of
     * the weighted route (after the pinned ones), and keeps the bucket layout in the annotation
     * {@code splitter.dev/buckets}, so that a change of weights moves only the keys that must move.
     * The caller (or an edge proxy) computes the bucket, since the mesh cannot hash a header; a
     * request without it is drawn by weight. Default: off, every request is drawn by weight.
     *
     * @param header usually {@value AssignmentMode#BUCKET_HEADER}
     * @throws IllegalArgumentException if it is not 1 to 64 lower-case letters, digits or hyphens
     */
    public B bucketHeader(String header) {
      this.assignment = AssignmentMode.byBucket(header);
      return self();
    }

    /** The clock for the last-updated annotation. Default: the system clock, UTC. */
    public B clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return self();
    }
  }

  static List<String> nonEmpty(List<String> values, String what) {
    if (values.isEmpty() || values.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException(
          what + " must be non-blank and at least one, got " + values);
    }
    return values;
  }
}
