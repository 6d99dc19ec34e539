package dev.splitter.local.internal;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The heads the gateway sends on: the request to a target and the answer to the caller. End-to-end
 * headers pass; hop-by-hop ones (RFC 9110, section 7.6.1) and those named in {@code Connection} do
 * not. Forwarding headers are the gateway's to set, from the real peer: a caller's own {@code
 * X-Forwarded-*}, {@code Forwarded}, {@code X-Real-IP} and {@code x-splitter-api} never reach a
 * target. Framing is the gateway's too: a target always sees a {@code Content-Length} the gateway
 * counted, or no body at all.
 */
final class Forwarding {
  /** The response header naming the API that answered, so callers can tell A from B. */
  static final AsciiString API_HEADER = AsciiString.cached("x-splitter-api");

  private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
  private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
  private static final AsciiString X_REAL_IP = AsciiString.cached("x-real-ip");
  private static final AsciiString FORWARDED = AsciiString.cached("forwarded");
  private static final AsciiString HTTP = AsciiString.cached("http");

  /** Headers that are not passed on: the gateway frames, routes and answers these itself. */
  private static final HeaderNames HOP_BY_HOP =
      new HeaderNames(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "content-length",
          "host",
          "expect");

  /** Headers only the gateway sets, from what it saw. */
  private static final HeaderNames CALLERS_MAY_NOT_SET =
      new HeaderNames(
          "forwarded",
          "x-real-ip",
          "x-forwarded-for",
          "x-forwarded-proto",
          "x-forwarded-host",
          "x-forwarded-port",
          API_HEADER.toString());

  private Forwarding() {}

  /**
   * A caller's connection as forwarding headers say it, worked out once per connection.
   *
   * @param address its IP address
   * @param forwarded the {@code Forwarded} value (RFC 7239)
   */
  record Peer(String address, String forwarded) {
    static Peer of(String address) {
      return new Peer(address, "for=" + forwardedNode(address) + ";proto=http");
    }
  }

  /**
   * Turns the caller's request, in place, into the one its target gets: no copy of its headers on
   * the way.
   *
   * @param uri the target's path and the caller's query
   * @param peer the caller, as the gateway saw it
   * @param bodyLength the body's length, or -1 for a request with no body at all
   */
  static HttpRequest request(
      HttpRequest caller, String uri, String hostHeader, Peer peer, long bodyLength) {
    HttpHeaders headers = caller.headers();
    String connection = headers.get(HttpHeaderNames.CONNECTION);
    removeWhere(
        headers,
        name ->
            HOP_BY_HOP.contains(name)
                || CALLERS_MAY_NOT_SET.contains(name)
                || namedIn(connection, name));
    caller.setUri(uri);
    caller.setProtocolVersion(HttpVersion.HTTP_1_1);
    headers.set(HttpHeaderNames.HOST, hostHeader);
    headers.set(X_FORWARDED_FOR, peer.address());
    headers.set(X_REAL_IP, peer.address());
    headers.set(X_FORWARDED_PROTO, HTTP);
    headers.set(FORWARDED, peer.forwarded());
    if (bodyLength >= 0) {
      headers.set(HttpHeaderNames.CONTENT_LENGTH, bodyLength);
    }
    return caller;
  }

  /** A copy of the caller's request, to be sent on to a second target. */
  static HttpRequest copy(HttpRequest caller) {
    return new DefaultHttpRequest(
        caller.protocolVersion(), caller.method(), caller.uri(), caller.headers().copy());
  }

  /**
   * Turns the target's answer head, in place, into the one the caller gets: the target's status and
   * end-to-end headers, the API's name, and the gateway's own framing.
   *
   * @param keepAlive whether the caller's connection stays open after this answer
   * @param chunked whether the caller reads chunks (HTTP/1.1); else a body of unknown length ends
   *     with the connection
   */
  static HttpResponse response(
      HttpResponse target, String apiName, HttpMethod method, boolean keepAlive, boolean chunked) {
    HttpHeaders headers = target.headers();
    String connection = headers.get(HttpHeaderNames.CONNECTION);
    String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
    removeWhere(headers, name -> HOP_BY_HOP.contains(name) || namedIn(connection, name));
    target.setProtocolVersion(HttpVersion.HTTP_1_1);
    headers.set(API_HEADER, apiName);
    if (length != null) {
      headers.set(HttpHeaderNames.CONTENT_LENGTH, length);
    } else if (chunked && mayHaveBody(method, target.status().code())) {
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    if (!keepAlive) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return target;
  }

  /** Removes the headers whose names match; allocates only when one does. */
  private static void removeWhere(HttpHeaders headers, Predicate<CharSequence> unwanted) {
    List<CharSequence> doomed = null;
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
        it.hasNext(); ) {
      CharSequence name = it.next().getKey();
      if (unwanted.test(name)) {
        if (doomed == null) {
          doomed = new ArrayList<>(4);
        }
        doomed.add(name);
      }
    }
    if (doomed != null) {
      doomed.forEach(headers::remove);
    }
  }

  private static boolean mayHaveBody(HttpMethod method, int status) {
    return !HttpMethod.HEAD.equals(method) && status != 204 && status != 304;
  }

  /** An address as RFC 7239 wants a node: IPv6 quoted and bracketed. */
  private static String forwardedNode(String address) {
    return address.indexOf(':') >= 0 ? "\"[" + address + "]\"" : address;
  }

  /**
   * Whether {@code Connection} lists the header: those are hop-by-hop too (RFC 9110, section
   * 7.6.1). Scans without allocating: this runs for every header of every request.
   */
  static boolean namedIn(@Nullable String connection, CharSequence name) {
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
          && AsciiString.contentEqualsIgnoreCase(connection.subSequence(start, stop), name)) {
        return true;
      }
      at = end + 1;
    }
    return false;
  }
}
