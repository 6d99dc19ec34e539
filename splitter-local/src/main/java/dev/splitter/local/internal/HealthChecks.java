package dev.splitter.local.internal;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import java.time.Duration;
import org.apiguardian.api.API;

/** Checks a registered API: GET its health path and expect 2XX, or else open a TCP connection. */
@API(status = API.Status.INTERNAL)
public final class HealthChecks {
  private final HttpClient http;
  private final NetClient tcp;
  private final long timeoutMillis;

  public HealthChecks(HttpClient http, NetClient tcp, Duration timeout) {
    this.http = http;
    this.tcp = tcp;
    this.timeoutMillis = timeout.toMillis();
  }

  /** Whether the API is healthy; never fails. */
  public Future<Boolean> healthy(RegisteredApi api) {
    Future<Boolean> check =
        api.health()
            .map(
                path ->
                    http.request(
                            new RequestOptions()
                                .setMethod(HttpMethod.GET)
                                .setHost(api.host())
                                .setPort(api.port())
                                .setURI(path)
                                .setConnectTimeout(timeoutMillis)
                                .setIdleTimeout(timeoutMillis))
                        .compose(request -> request.send())
                        .compose(HealthChecks::isSuccess))
            .orElseGet(
                () ->
                    tcp.connect(api.port(), api.host())
                        .compose(socket -> socket.close())
                        .map(true));
    return check.otherwise(false);
  }

  private static Future<Boolean> isSuccess(HttpClientResponse response) {
    return response.body().map(body -> response.statusCode() / 100 == 2);
  }
}
