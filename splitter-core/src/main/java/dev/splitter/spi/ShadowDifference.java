package dev.splitter.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apiguardian.api.API;

/**
 * One request whose shadow answer disagreed with the live one, as {@code splitter diff} shows it.
 * Texts are cut to the source's limit (ending in {@code …} when cut); bodies that are not UTF-8 are
 * shown with replacement characters.
 *
 * @param at when the live answer ended
 * @param liveApi the target that answered the caller
 * @param shadowApi the shadow
 * @param method the request's method
 * @param uri the request's path and query
 * @param request the request's body
 * @param liveStatus the live answer's status
 * @param liveAnswer the live answer's body
 * @param shadowStatus the shadow's status (the gateway's 502 or 504 when it did not answer)
 * @param shadowAnswer the shadow's body
 * @param paths where the bodies differ (JSON Pointers with the array indices), or {@code status}
 *     when the status classes differ
 * @param liveLatency the live answer's time
 * @param shadowLatency the shadow's answer's time
 */
@API(status = API.Status.EXPERIMENTAL)
public record ShadowDifference(
    Instant at,
    String liveApi,
    String shadowApi,
    String method,
    String uri,
    String request,
    int liveStatus,
    String liveAnswer,
    int shadowStatus,
    String shadowAnswer,
    List<String> paths,
    Duration liveLatency,
    Duration shadowLatency) {

  public ShadowDifference {
    requireNonNull(at, "at");
    requireNonNull(liveApi, "liveApi");
    requireNonNull(shadowApi, "shadowApi");
    requireNonNull(method, "method");
    requireNonNull(uri, "uri");
    requireNonNull(request, "request");
    requireNonNull(liveAnswer, "liveAnswer");
    requireNonNull(shadowAnswer, "shadowAnswer");
    paths = List.copyOf(paths);
    requireNonNull(liveLatency, "liveLatency");
    requireNonNull(shadowLatency, "shadowLatency");
  }
}
