package dev.splitter.local.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.resolver.AddressResolverGroup;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.spi.transport.Transport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;

/**
 * The gateway's listening socket and everything it opened: a Netty HTTP/1.1 pipeline per caller
 * ({@link ClientTimeouts}, the codec, {@link ClientHandler}) on the event loops of a Vert.x
 * instance, with its transport (epoll when present, else NIO), and one {@link UpstreamPool} per
 * event loop.
 */
@API(status = API.Status.INTERNAL)
public final class GatewayListener implements AutoCloseable {
  private static final byte[] BUSY =
      ("HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);

  /** How long binding, or closing everything, may take. */
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final Channel server;
  private final ClientConnections clients;
  private final Set<Channel> upstreams;

  private GatewayListener(Channel server, ClientConnections clients, Set<Channel> upstreams) {
    this.server = server;
    this.clients = clients;
    this.upstreams = upstreams;
  }

  /**
   * Listens on {@code host:port} (0: a free port) and returns once it does.
   *
   * @throws IllegalStateException if it cannot listen, with the reason as its cause
   */
  public static GatewayListener listen(
      Vertx vertx, GatewaySettings settings, String host, int port) {
    EventLoopGroup loops = vertx.nettyEventLoopGroup();
    Transport transport = ((VertxInternal) vertx).transport();
    // Vert.x's asynchronous DNS resolver (its hosts file, resolv.conf and options): a slow lookup
    // of a target's name never holds the event loop that also serves other callers.
    AddressResolverGroup<InetSocketAddress> resolver =
        ((VertxInternal) vertx).nettyAddressResolverGroup();
    ClientConnections clients = new ClientConnections(settings.maxClientConnections());
    Set<Channel> upstreams = ConcurrentHashMap.newKeySet();
    Map<EventLoop, UpstreamPool> pools = new ConcurrentHashMap<>();
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(loops, loops)
            .channelFactory(transport.serverChannelFactory(false))
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel channel) {
                    ClientConnections.ClientState state = clients.admit(channel);
                    if (state == null) {
                      channel
                          .writeAndFlush(Unpooled.wrappedBuffer(BUSY))
                          .addListener(ChannelFutureListener.CLOSE);
                      return;
                    }
                    UpstreamPool pool =
                        pools.computeIfAbsent(
                            channel.eventLoop(),
                            loop ->
                                new UpstreamPool(
                                    loop,
                                    transport.channelFactory(false),
                                    resolver,
                                    settings,
                                    upstreams));
                    ClientTimeouts timeouts =
                        new ClientTimeouts(settings.headerTimeout(), settings.idleTimeout());
                    channel
                        .pipeline()
                        .addLast(timeouts)
                        .addLast(new HttpServerCodec(4096, 8192, 65_536))
                        .addLast(new ClientHandler(settings, pool, timeouts, state));
                  }
                });
    ChannelFuture bound = bootstrap.bind(host, port);
    if (!bound.awaitUninterruptibly(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      bound.channel().close();
      throw new IllegalStateException("did not listen within " + WAIT);
    }
    if (!bound.isSuccess()) {
      throw new IllegalStateException(
          "cannot listen on " + host + ":" + port + ": " + bound.cause().getMessage(),
          bound.cause());
    }
    return new GatewayListener(bound.channel(), clients, upstreams);
  }

  /** The port it listens on. */
  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** How many callers are connected. */
  public int clientConnections() {
    return clients.open();
  }

  /** How many connections to targets are open, busy or pooled. */
  public int upstreamConnections() {
    return upstreams.size();
  }

  /** Stops listening and closes every connection, the callers' and the targets'. */
  @Override
  public void close() {
    List<ChannelFuture> closing = new ArrayList<>();
    closing.add(server.close());
    closing.addAll(clients.closeAll());
    upstreams.forEach(channel -> closing.add(channel.close()));
    long deadline = System.nanoTime() + WAIT.toNanos();
    for (ChannelFuture future : closing) {
      future.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
  }
}
