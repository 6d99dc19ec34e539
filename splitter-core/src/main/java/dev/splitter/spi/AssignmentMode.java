package dev.splitter.spi;

import static java.util.Objects.requireNonNull;

import dev.splitter.model.Assignment;
import java.time.Duration;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * How a backend sends the requests of one user to one target: the part of its {@link
 * BackendCapabilities} that {@code plan} and {@code get} show. Requests that carry nothing a mode
 * reads are drawn at random by weight, as always.
 *
 * <p>A backend whose mode {@linkplain #usesBuckets uses buckets} lays them out at every write with
 * {@link Assignment#following Assignment.following(stored, spec)}, from the layout its routing
 * object keeps, stores the new layout with the object, and returns it from {@code describe} as
 * {@link DeployedSplitter#assignment}: that is what keeps users in place across processes.
 *
 * @param kind the mechanism
 * @param header the request header it reads ({@link Kind#KEY} and {@link Kind#BUCKET}); null
 *     otherwise
 * @param stickiness how long a {@link Kind#COOKIE} lasts; null otherwise
 */
@API(status = API.Status.EXPERIMENTAL)
public record AssignmentMode(Kind kind, @Nullable String header, @Nullable Duration stickiness) {
  /** The header the local gateway reads a key from, unless told otherwise. */
  public static final String KEY_HEADER = "x-splitter-key";

  /** The header Kubernetes backends match a key's bucket in, unless told otherwise. */
  public static final String BUCKET_HEADER = "x-splitter-bucket";

  /** Every request is drawn at random. */
  public static final AssignmentMode RANDOM = new AssignmentMode(Kind.RANDOM, null, null);

  /** The mechanisms. */
  public enum Kind {
    /** Every request is drawn at random by weight. */
    RANDOM,
    /** The backend hashes a key header into the splitter's {@link Assignment} buckets. */
    KEY,
    /**
     * The caller puts the key's {@link Assignment#bucket bucket} in a header, and the routing
     * object matches each target's buckets ahead of the weighted route.
     */
    BUCKET,
    /** The load balancer's stickiness cookie holds a client to the target it first reached. */
    COOKIE
  }

  public AssignmentMode {
    requireNonNull(kind, "kind");
    if ((kind == Kind.KEY || kind == Kind.BUCKET) == (header == null)) {
      throw new IllegalArgumentException("a header goes with KEY and BUCKET, and only with them");
    }
    if ((kind == Kind.COOKIE) == (stickiness == null)) {
      throw new IllegalArgumentException("a stickiness goes with COOKIE, and only with it");
    }
    if (header != null && !header.matches("[a-z0-9-]{1,64}")) {
      throw new IllegalArgumentException(
          "a header name is 1 to 64 lower-case letters, digits or hyphens, got " + header);
    }
    if (stickiness != null && (stickiness.isNegative() || stickiness.isZero())) {
      throw new IllegalArgumentException("stickiness must be positive, got " + stickiness);
    }
  }

  /** The splitter's own buckets, keyed by the given header. */
  public static AssignmentMode byKey(String header) {
    return new AssignmentMode(Kind.KEY, header, null);
  }

  /** Buckets the caller computes and sends in the given header. */
  public static AssignmentMode byBucket(String header) {
    return new AssignmentMode(Kind.BUCKET, header, null);
  }

  /** The load balancer's cookie, for this long. */
  public static AssignmentMode byCookie(Duration stickiness) {
    return new AssignmentMode(Kind.COOKIE, null, stickiness);
  }

  /** Whether the backend lays out {@link Assignment} buckets and keeps them with the object. */
  public boolean usesBuckets() {
    return kind == Kind.KEY || kind == Kind.BUCKET;
  }

  /** One line for people, as {@code plan} and {@code get} show it. */
  public String describe() {
    return switch (kind) {
      case RANDOM -> "random (every request drawn by weight)";
      case KEY -> "by key: header " + header + ", hashed into 10,000 buckets; without it, random";
      case BUCKET ->
          "by bucket: header "
              + header
              + " (the key's bucket, Assignment.bucket(splitter, key)); without it, random";
      case COOKIE ->
          "by cookie: the load balancer's stickiness cookie, for "
              + requireNonNull(stickiness).toSeconds()
              + " s; without it, random";
    };
  }
}
