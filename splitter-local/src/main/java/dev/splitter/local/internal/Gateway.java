package dev.splitter.local.internal;

import dev.splitter.model.TargetApi;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards each request to a splitter's endpoint to one target, picked by weight, and streams the
 * answer back; mirrors a copy to the shadow target when drawn. Runs on Vert.x event loops.
 *
 * <p>Bodies with a declared length stream straight through. Bodies without one (chunked) and bodies
 * to be mirrored are read first, up to the size limit, since they are needed whole.
 */
public final class Gateway {
  /** The response header naming the API that answered, so callers can tell A from B. */
  public static final String API_HEADER = "x-splitter-api";

  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  private static final Set<String> HOP_BY_HOP = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

  static {
    HOP_BY_HOP.addAll(
        List.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "host"));
  }

  private final HttpClient client;
  private final GatewaySettings settings;

  /**
   * @param client the client to reach targets with, made on the same event loop as the server
   */
  public Gateway(HttpClient client, GatewaySettings settings) {
    this.client = client;
    this.settings = settings;
  }

  /**
   * Handles one request to the gateway; a bug here answers 500, it never leaves a caller hanging.
   */
  public void handle(HttpServerRequest request) {
    try {
      route(request);
    } catch (RuntimeException e) {
      LOG.error("gateway failed on {} {}", request.method(), request.path(), e);
      error(request, 500, "the gateway failed: " + e);
    }
  }

  private void route(HttpServerRequest request) {
    long start = System.nanoTime();
    Optional<Route> found = settings.routes().get().forPath(request.path());
    if (found.isEmpty()) {
      error(request, 404, "no traffic splitter at " + request.path() + hint(request.path()));
      return;
    }
    long declaredLength = declaredLength(request);
    if (declaredLength > settings.maxBodyBytes()) {
      tooLarge(request);
      return;
    }
    Route route = found.get();
    RandomGenerator draw = settings.random().get();
    String apiName = route.picker().pick(draw);
    Optional<TargetApi> shadow = route.mirrorTo(draw);
    TargetCounters counters = settings.metrics().counters(route.spec().name(), apiName);
    counters.requested();
    Optional<RegisteredApi> api = settings.catalog().api(apiName);
    if (api.isEmpty()) {
      counters.answered(502, System.nanoTime() - start);
      error(request, 502, "api " + apiName + " is not registered with the local gateway");
      return;
    }
    if (declaredLength >= 0 && shadow.isEmpty()) {
      request.pause(); // resumed by send(request) once the upstream request is ready
      forward(request, api.get(), null, counters, start);
      return;
    }
    readBounded(request)
        .onSuccess(
            body -> {
              forward(request, api.get(), body, counters, start);
              shadow.ifPresent(target -> mirror(request, route.spec().name(), target, body));
            })
        .onFailure(failure -> tooLarge(request));
  }

  private void forward(
      HttpServerRequest request,
      RegisteredApi api,
      @Nullable Buffer body,
      TargetCounters counters,
      long start) {
    client
        .request(upstreamOptions(request, api))
        .compose(
            upstream -> {
              if (body != null) {
                return upstream.send(body);
              }
              if (hasNoBody(request)) {
                request.resume(); // nothing to stream: the target gets no body, not an empty chunk
                return upstream.send();
              }
              return upstream.send(request);
            })
        .onSuccess(response -> relay(request, api, response, counters, start))
        .onFailure(
            failure -> {
              int status = isTimeout(failure) ? 504 : 502;
              counters.answered(status, System.nanoTime() - start);
              error(
                  request,
                  status,
                  "api "
                      + api.name()
                      + (status == 504 ? " did not answer in time: " : " could not be reached: ")
                      + failure.getMessage());
            });
  }

  private void relay(
      HttpServerRequest request,
      RegisteredApi api,
      HttpClientResponse upstream,
      TargetCounters counters,
      long start) {
    counters.answered(upstream.statusCode(), System.nanoTime() - start);
    HttpServerResponse response = request.response();
    response.setStatusCode(upstream.statusCode()).setStatusMessage(upstream.statusMessage());
    copyEndToEnd(upstream.headers(), response.headers());
    response.putHeader(API_HEADER, api.name());
    if (upstream.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
      response.setChunked(true);
    }
    upstream
        .pipeTo(response)
        .onFailure(failure -> LOG.debug("relay from {} failed", api.name(), failure));
  }

  /**
   * Sends a copy to the shadow target; its answer is read and dropped, its failure only counted.
   */
  private void mirror(HttpServerRequest request, String splitter, TargetApi shadow, Buffer body) {
    TargetCounters counters = settings.metrics().counters(splitter, shadow.name());
    counters.requested();
    long start = System.nanoTime();
    Optional<RegisteredApi> api = settings.catalog().api(shadow.name());
    if (api.isEmpty()) {
      counters.answered(502, System.nanoTime() - start);
      return;
    }
    client
        .request(upstreamOptions(request, api.get()))
        .compose(upstream -> upstream.send(body))
        .onSuccess(
            response -> {
              counters.answered(response.statusCode(), System.nanoTime() - start);
              response.body(); // read and dropped: a shadow's answer never reaches the caller
            })
        .onFailure(
            failure -> {
              counters.answered(isTimeout(failure) ? 504 : 502, System.nanoTime() - start);
              LOG.debug("shadow {} failed", shadow.name(), failure);
            });
  }

  private RequestOptions upstreamOptions(HttpServerRequest request, RegisteredApi api) {
    MultiMap headers = HttpHeaders.headers();
    copyEndToEnd(request.headers(), headers);
    headers.add("x-forwarded-for", request.remoteAddress().hostAddress());
    return new RequestOptions()
        .setHeaders(headers)
        .setMethod(request.method())
        .setHost(api.host())
        .setPort(api.port())
        .setURI(api.target(request.query()))
        .setConnectTimeout(settings.connectTimeout().toMillis())
        .setIdleTimeout(settings.upstreamTimeout().toMillis());
  }

  /** Reads a whole body, failing as soon as it passes the size limit. */
  private Future<Buffer> readBounded(HttpServerRequest request) {
    Promise<Buffer> read = Promise.promise();
    Buffer body = Buffer.buffer();
    request.handler(
        chunk -> {
          if (body.length() + chunk.length() > settings.maxBodyBytes()) {
            request.handler(null);
            read.tryFail("body over the limit");
          } else {
            body.appendBuffer(chunk);
          }
        });
    request.endHandler(end -> read.tryComplete(body));
    request.exceptionHandler(read::tryFail);
    return read.future();
  }

  private void tooLarge(HttpServerRequest request) {
    // The rest of the body is not read: close the connection rather than drain it.
    request.response().putHeader(HttpHeaders.CONNECTION, "close");
    error(
        request,
        413,
        "the request body is larger than the limit of " + settings.maxBodyBytes() + " bytes");
  }

  private static void error(HttpServerRequest request, int status, String message) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      response.reset(); // part of an answer went out: the caller must see it broken, not whole
      return;
    }
    response
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", message).put("status", status).encode());
  }

  private static void copyEndToEnd(MultiMap from, MultiMap to) {
    String connection = from.get(HttpHeaders.CONNECTION);
    for (Map.Entry<String, String> header : from) {
      String name = header.getKey();
      if (!HOP_BY_HOP.contains(name) && !namedIn(connection, name)) {
        to.add(name, header.getValue());
      }
    }
  }

  /**
   * Whether {@code Connection} lists the header: those are hop-by-hop too (RFC 9110, section
   * 7.6.1). Scans without allocating: this runs for every header of every request.
   */
  private static boolean namedIn(@Nullable String connection, String name) {
    if (connection == null) {
      return false;
    }
    int at = 0;
    while (at < connection.length()) {
      int comma = connection.indexOf(',', at);
      int end = comma < 0 ? connection.length() : comma;
      int start = at;
      while (start < end && connection.charAt(start) == ' ') {
        start++;
      }
      int stop = end;
      while (stop > start && connection.charAt(stop - 1) == ' ') {
        stop--;
      }
      if (stop - start == name.length()
          && connection.regionMatches(true, start, name, 0, stop - start)) {
        return true;
      }
      at = end + 1;
    }
    return false;
  }

  /**
   * Endpoints match exactly, as Cortex's did; a trailing slash is a different path, so the 404 says
   * which endpoint was probably meant.
   */
  private String hint(String path) {
    if (path.length() > 1 && path.endsWith("/")) {
      String trimmed = path.substring(0, path.length() - 1);
      if (settings.routes().get().forPath(trimmed).isPresent()) {
        return " (endpoints match exactly: did you mean " + trimmed + "?)";
      }
    }
    return "";
  }

  /** A request that declares no body at all: no Content-Length, no Transfer-Encoding. */
  private static boolean hasNoBody(HttpServerRequest request) {
    return request.getHeader(HttpHeaders.CONTENT_LENGTH) == null
        && request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null;
  }

  private static long declaredLength(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length == null) {
      return request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null ? 0 : -1;
    }
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Vert.x fails an idle upstream with a TimeoutException; a connect timeout is a 502. */
  private static boolean isTimeout(Throwable failure) {
    return failure instanceof TimeoutException;
  }
}
