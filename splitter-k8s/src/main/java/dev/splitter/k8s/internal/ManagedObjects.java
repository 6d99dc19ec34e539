package dev.splitter.k8s.internal;

import static java.util.Objects.requireNonNull;

import dev.splitter.core.BackendException;
import dev.splitter.core.NotDeployedException;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.Annotations;
import dev.splitter.spi.DeployedSplitter;
import dev.splitter.spi.Guard;
import dev.splitter.support.Attempts;
import dev.splitter.support.BackendCalls;
import dev.splitter.support.StoredSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The routing objects of one kind in one namespace, as splitter manages them: it writes only
 * objects that carry its label, refuses names taken by anything else, and updates with the
 * resourceVersion it read, so a change made meanwhile is never written over unseen.
 *
 * @param <T> the object type (a VirtualService, an HTTPRoute)
 */
@API(status = API.Status.INTERNAL)
public final class ManagedObjects<T extends HasMetadata> {
  /** Updates retried after a 409 that changed nothing we own (someone touched only metadata). */
  private static final int CONFLICT_ATTEMPTS = 3;

  private final NonNamespaceOperation<T, ? extends KubernetesResourceList<T>, Resource<T>> objects;
  private final BackendCalls calls;
  private final String kind;
  private final String namespace;
  private final Clock clock;
  private final Function<T, Object> specOf;

  /**
   * @param operation the client's operation for the type, such as {@code
   *     client.resources(HTTPRoute.class)}
   * @param backend the backend's name in errors
   * @param kind the object kind in errors
   * @param specOf the object's spec, compared to tell a real concurrent change from a metadata one
   */
  public ManagedObjects(
      MixedOperation<T, ? extends KubernetesResourceList<T>, Resource<T>> operation,
      String backend,
      String kind,
      String namespace,
      Clock clock,
      Function<T, Object> specOf) {
    this.namespace = requireNonNull(namespace, "namespace");
    this.objects = operation.inNamespace(namespace);
    this.calls = ApiServerErrors.calls(backend);
    this.kind = kind;
    this.clock = clock;
    this.specOf = specOf;
  }

  /** The managed object of this name; empty if none, an error if the name is taken by another. */
  public Optional<T> managed(String name) {
    Optional<T> found = call("get", name, () -> Optional.ofNullable(objects.withName(name).get()));
    found.ifPresent(this::refuseUnmanaged);
    return found;
  }

  /** Every managed object, in name order. */
  public List<T> listManaged() {
    return call(
            "list",
            kind + "s",
            () -> objects.withLabel(SplitterLabels.MANAGED_BY, StoredSpec.MANAGED_BY_VALUE).list())
        .getItems()
        .stream()
        .filter(SplitterLabels::isManaged)
        .sorted(Comparator.comparing(object -> object.getMetadata().getName()))
        .toList();
  }

  /** Every object of the kind in the namespace, ours or not. */
  public List<T> listAll() {
    return call("list", kind + "s", () -> objects.list()).getItems();
  }

  /**
   * Creates the object, or replaces a managed one's spec and splitter metadata, keeping labels and
   * annotations others put there. Writes nothing when the object already holds this spec.
   *
   * @param build makes the object for the given metadata
   */
  public void write(TrafficSplitter splitter, Function<ObjectMeta, T> build) {
    String name = splitter.name();
    Attempts.upTo(
        CONFLICT_ATTEMPTS,
        new Read<T>(managed(name), null),
        read -> writeOnce(splitter, build, read.object()),
        read -> conflict("update", name, requireNonNull(read.conflict())));
  }

  /**
   * One try at writing over {@code current}.
   *
   * @return empty when written or already up to date; after a 409 that changed nothing we own, the
   *     object as it is now, to try again over
   */
  private Optional<Read<T>> writeOnce(
      TrafficSplitter splitter, Function<ObjectMeta, T> build, Optional<T> current) {
    String name = splitter.name();
    if (current.isPresent() && SplitterLabels.holds(current.get(), splitter)) {
      T expected = build.apply(current.get().getMetadata());
      if (Objects.equals(specOf.apply(expected), specOf.apply(current.get()))) {
        return Optional.empty();
      }
    }
    ObjectMeta meta =
        SplitterLabels.stamp(
            current.map(HasMetadata::getMetadata).orElse(null), splitter, namespace, clock);
    T desired = build.apply(meta);
    String operation = current.isEmpty() ? "create" : "update";
    try {
      // Strict: a field the server's schema does not know fails the write instead of being
      // dropped, so an object is stored exactly as rendered or not at all.
      if (current.isEmpty()) {
        objects.resource(desired).fieldValidation(Validation.STRICT).create();
      } else {
        objects.resource(desired).fieldValidation(Validation.STRICT).update();
      }
      return Optional.empty();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw calls.failure(operation, describe(name), e);
      }
      // The object as it is now: written over only if what we own in it is what we read.
      Optional<T> now = managed(name);
      if (changedMeanwhile(current, now)) {
        throw conflict(operation, name, e);
      }
      return Optional.of(new Read<>(now, e));
    }
  }

  private BackendException conflict(String operation, String name, KubernetesClientException e) {
    return BackendException.builder(calls.backend(), operation, describe(name))
        .message(
            "changed by someone else while this deploy was writing it (409 Conflict: "
                + ApiServerErrors.serverMessage(e)
                + "); nothing was written, deploy again to apply over the change")
        .retryable(true)
        .cause(e)
        .build();
  }

  /**
   * Whether the object differs, in what we own, between the read before a 409 and the one after.
   */
  private boolean changedMeanwhile(Optional<T> before, Optional<T> now) {
    if (before.isEmpty() || now.isEmpty()) {
      return true;
    }
    return !Objects.equals(specOf.apply(before.get()), specOf.apply(now.get()))
        || !Objects.equals(
            SplitterLabels.storedHash(before.get()), SplitterLabels.storedHash(now.get()));
  }

  /**
   * Removes a managed object.
   *
   * @return whether there was one
   */
  public boolean delete(String name) {
    if (managed(name).isEmpty()) {
      return false;
    }
    return call("delete", name, () -> !objects.withName(name).delete().isEmpty());
  }

  /**
   * Sets the guard's annotation on a managed object, if it holds what the guard expects. See {@link
   * #writeIf} for how the check and the write are made one.
   *
   * @return false, having written nothing, if the annotation held something else
   * @throws NotDeployedException if there is no such object
   */
  public boolean annotateIf(String name, Guard guard) {
    return swapIf(name, guard, current -> current);
  }

  /**
   * Writes the splitter's spec and splitter metadata and sets the guard's annotation, in one update
   * that carries the resourceVersion of the read that checked the guard: the API server refuses it
   * (409) if anything changed the object in between, so the check and the write are one. After a
   * 409 the object is read and the guard checked again.
   *
   * @param build makes the object for the given metadata
   * @return false, having written nothing, if the annotation held something else
   * @throws NotDeployedException if there is no such object
   */
  public boolean writeIf(TrafficSplitter splitter, Guard guard, Function<ObjectMeta, T> build) {
    return swapIf(
        splitter.name(),
        guard,
        current ->
            build.apply(SplitterLabels.stamp(current.getMetadata(), splitter, namespace, clock)));
  }

  /** Reads, checks the guard, and updates {@code desired(current)} with the guard's annotation. */
  private boolean swapIf(String name, Guard guard, UnaryOperator<T> desiredFrom) {
    String key = Annotations.PREFIX + guard.key();
    for (int attempt = 1; ; attempt++) {
      T current = managed(name).orElseThrow(() -> new NotDeployedException(name));
      if (!guard.holds(annotations(current).get(key))) {
        return false;
      }
      T desired = desiredFrom.apply(current);
      Map<String, String> notes = new LinkedHashMap<>(annotations(desired));
      if (guard.value() == null) {
        notes.remove(key);
      } else {
        notes.put(key, guard.value());
      }
      desired.getMetadata().setAnnotations(notes);
      try {
        objects.resource(desired).fieldValidation(Validation.STRICT).update();
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw calls.failure("update", describe(name), e);
        }
        if (attempt == CONFLICT_ATTEMPTS) {
          throw conflict("update", name, e);
        }
      }
    }
  }

  private static Map<String, String> annotations(HasMetadata object) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }

  /** The object's {@link Annotations}. */
  public static Map<String, String> notes(HasMetadata object) {
    return Annotations.readFrom(object.getMetadata().getAnnotations());
  }

  /** The splitter a managed object holds, as its live routes say. */
  public DeployedSplitter deployed(
      T object, Function<TrafficSplitter, TrafficSplitter> live, List<String> pinned) {
    TrafficSplitter stored = SplitterLabels.storedSpec(object, calls.backend(), describe(object));
    return new DeployedSplitter(live.apply(stored), SplitterLabels.lastUpdated(object), pinned);
  }

  /** "VirtualService ns/name", for messages. */
  public String describe(String name) {
    return kind + " " + namespace + "/" + name;
  }

  private String describe(T object) {
    return describe(object.getMetadata().getName());
  }

  private void refuseUnmanaged(T object) {
    if (!SplitterLabels.isManaged(object)) {
      throw calls.refuse(
          "check",
          describe(object),
          "the name is taken by an object splitter does not manage (no label "
              + SplitterLabels.MANAGED_BY
              + "="
              + StoredSpec.MANAGED_BY_VALUE
              + "); it is left as it is: rename the splitter or remove that object");
    }
  }

  private <R> R call(String operation, String name, Supplier<R> action) {
    return calls.call(operation, describe(name), action);
  }

  /** The object as one read found it (empty if absent), and the 409 that made us read it again. */
  private record Read<T>(Optional<T> object, @Nullable KubernetesClientException conflict) {}
}
