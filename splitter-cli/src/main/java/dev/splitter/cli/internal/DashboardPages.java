package dev.splitter.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.HostAndPort;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The dashboard's side of the admin endpoint: its page, script and styles, and {@code GET
 * /v1/dashboard}, the JSON the page polls. Read-only, and protected like the rest: the address
 * {@code splitter dashboard} prints carries the serve's token once, which is exchanged for an
 * HttpOnly, SameSite=Strict cookie (and the address without it) so that the token stays out of the
 * browser's history. The cookie opens only these read-only routes, never a deploy or a delete, so a
 * page from elsewhere cannot act through the browser; and a request naming another host than the
 * loopback address is refused, so a hostile site's name rebound to 127.0.0.1 reads nothing.
 */
final class DashboardPages {
  static final String PAGE = "/dashboard";
  static final String STATE = "/v1/dashboard";

  private static final String UPLOT =
      "META-INF/resources/webjars/uplot/" + webjarVersion("org.webjars.npm/uplot") + "/dist/";
  private static final String OWN = "dev/splitter/cli/dashboard/";

  /** Every file the page loads, by path: nothing else is served and nothing fetched elsewhere. */
  private static final Map<String, String> FILES =
      Map.of(
          PAGE,
          OWN + "index.html",
          PAGE + "/dashboard.js",
          OWN + "dashboard.js",
          PAGE + "/dashboard.css",
          OWN + "dashboard.css",
          PAGE + "/uPlot.iife.min.js",
          UPLOT + "uPlot.iife.min.js",
          PAGE + "/uPlot.min.css",
          UPLOT + "uPlot.min.css");

  private static final String REFUSED =
      "<!doctype html><meta charset=utf-8><title>splitter dashboard</title><p>This dashboard needs"
          + " the address <code>splitter dashboard</code> prints (it carries the serve's token).";

  private final Vertx vertx;
  private final Dashboard dashboard;
  private final String token;
  private final String cookieName;
  private final Map<String, Buffer> files;

  /**
   * @param token the serve's token, which the page's address carries
   * @param port the admin endpoint's port: its cookie is named after it, so that two serves on one
   *     machine (cookies do not tell ports apart) keep their own
   */
  DashboardPages(Vertx vertx, Dashboard dashboard, String token, int port) {
    this.vertx = vertx;
    this.dashboard = dashboard;
    this.token = token;
    this.cookieName = "splitter_dashboard_" + port;
    Map<String, Buffer> loaded = new HashMap<>();
    FILES.forEach((path, resource) -> loaded.put(path, load(resource)));
    this.files = Map.copyOf(loaded);
  }

  /**
   * The address that opens the dashboard of the admin endpoint at {@code admin}, token included:
   * what {@code splitter dashboard} prints.
   */
  static URI address(URI admin, String token) {
    return URI.create(admin + PAGE + "?token=" + token);
  }

  /** The address that opens this dashboard, on the admin endpoint at {@code admin}. */
  URI address(URI admin) {
    return address(admin, token);
  }

  /** Whether the request is the dashboard's to answer. */
  static boolean handles(HttpServerRequest request) {
    String path = request.path();
    return path.equals(PAGE) || path.startsWith(PAGE + "/") || path.equals(STATE);
  }

  void handle(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    response
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
    if (request.method() != HttpMethod.GET) {
      text(response, 405, "text/plain", "the dashboard is read-only");
      return;
    }
    if (!loopbackHost(request.authority())) {
      text(response, 403, "text/plain", "only http://127.0.0.1 serves the dashboard");
      return;
    }
    String offered = request.getParam("token");
    if (request.path().equals(PAGE) && offered != null) {
      if (!matches(offered)) {
        text(response, 401, "text/html; charset=utf-8", REFUSED);
        return;
      }
      Cookie cookie =
          Cookie.cookie(cookieName, offered)
              .setHttpOnly(true)
              .setSameSite(CookieSameSite.STRICT)
              .setPath("/");
      response.addCookie(cookie).putHeader("Location", PAGE).setStatusCode(303).end();
      return;
    }
    if (!authorized(request)) {
      if (request.path().equals(STATE)) {
        text(response, 401, "application/json", "{\"error\":\"missing or wrong token\"}");
      } else {
        text(response, 401, "text/html; charset=utf-8", REFUSED);
      }
      return;
    }
    if (request.path().equals(STATE)) {
      long since;
      try {
        since = Long.parseLong(request.getParam("since", "0"));
      } catch (NumberFormatException e) {
        text(response, 400, "application/json", "{\"error\":\"since must be epoch milliseconds\"}");
        return;
      }
      vertx
          .executeBlocking(() -> Json.JSON.writeValueAsBytes(dashboard.state(since)), false)
          .onSuccess(
              json ->
                  response.putHeader("Content-Type", "application/json").end(Buffer.buffer(json)))
          .onFailure(failure -> text(response, 500, "application/json", error(failure)));
      return;
    }
    Buffer file = files.get(request.path());
    if (file == null) {
      text(response, 404, "text/plain", "no such file");
      return;
    }
    response.putHeader("Content-Type", contentType(request.path())).end(file);
  }

  private boolean authorized(HttpServerRequest request) {
    String authorization = request.getHeader("Authorization");
    if (authorization != null && authorization.startsWith("Bearer ")) {
      return matches(authorization.substring("Bearer ".length()));
    }
    Cookie cookie = request.getCookie(cookieName);
    return cookie != null && matches(cookie.getValue());
  }

  private boolean matches(String offered) {
    return MessageDigest.isEqual(
        token.getBytes(StandardCharsets.UTF_8), offered.getBytes(StandardCharsets.UTF_8));
  }

  /** A request naming the loopback address (or localhost) as its host, whatever the port. */
  private static boolean loopbackHost(@Nullable HostAndPort authority) {
    if (authority == null) {
      return false;
    }
    String host = authority.host();
    return host.equals("127.0.0.1")
        || host.equals("localhost")
        || host.equals("[::1]")
        || host.equals("::1");
  }

  private static String contentType(String path) {
    if (path.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    return path.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
  }

  private static String error(Throwable failure) {
    try {
      return Json.JSON.writeValueAsString(Map.of("error", String.valueOf(failure.getMessage())));
    } catch (JsonProcessingException e) {
      return "{\"error\":\"the dashboard's state could not be read\"}";
    }
  }

  private static void text(HttpServerResponse response, int status, String type, String body) {
    if (!response.ended() && !response.closed()) {
      response.setStatusCode(status).putHeader("Content-Type", type).end(body);
    }
  }

  /** The version of a WebJar on the class path, from the Maven properties it carries. */
  private static String webjarVersion(String groupAndArtifact) {
    Properties properties = new Properties();
    try (InputStream in =
        DashboardPages.class
            .getClassLoader()
            .getResourceAsStream("META-INF/maven/" + groupAndArtifact + "/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the class path lacks the WebJar " + groupAndArtifact);
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version");
  }

  private static Buffer load(String resource) {
    try (InputStream in = DashboardPages.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks the dashboard's " + resource);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
