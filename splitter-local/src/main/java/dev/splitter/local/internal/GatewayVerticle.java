package dev.splitter.local.internal;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import java.util.function.IntConsumer;

/**
 * One gateway instance on one event loop: its own server and its own client. Instances listening on
 * the same port share it, Vert.x spreading connections across them.
 */
public final class GatewayVerticle extends AbstractVerticle {
  private final GatewaySettings settings;
  private final String host;
  private final int port;
  private final IntConsumer listening;

  /**
   * @param port the port; a negative one picks a free port that every instance shares
   * @param listening told the port actually bound
   */
  public GatewayVerticle(GatewaySettings settings, String host, int port, IntConsumer listening) {
    this.settings = settings;
    this.host = host;
    this.port = port;
    this.listening = listening;
  }

  @Override
  public void start(Promise<Void> started) {
    Gateway gateway =
        new Gateway(
            vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(settings.maxConnectionsPerApi())),
            settings);
    vertx
        .createHttpServer(
            new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setTcpNoDelay(true)
                // Targets are reached over HTTP/1.1; serving only HTTP/1.1 keeps the upgrade
                // handlers out of every request's path. A client offering h2c gets HTTP/1.1.
                .setHttp2ClearTextEnabled(false))
        .requestHandler(gateway::handle)
        .listen()
        .onSuccess(server -> listening.accept(server.actualPort()))
        .<Void>mapEmpty()
        .onComplete(started);
  }
}
