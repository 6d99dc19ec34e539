package dev.splitter.local.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keep-alive connections from one event loop to the registered APIs, at most {@code
 * maxConnectionsPerApi} to each; a request that finds them all busy waits, up to the connect
 * timeout. Confined to its event loop, so no locks: each client connection uses its own loop's
 * pool.
 *
 * <p>A connection goes back to the pool only after a whole, well-framed exchange; anything else (an
 * answer cut short, a HEAD, a request not fully sent, {@code Connection: close}) closes it. Pooled
 * connections idle longer than {@value #MAX_IDLE_SECONDS} s are not reused: servers such as uvicorn
 * close theirs after 5 s, and a request sent as they do would fail.
 */
final class UpstreamPool {
  static final long MAX_IDLE_SECONDS = 4;
  private static final long MAX_IDLE_NANOS = TimeUnit.SECONDS.toNanos(MAX_IDLE_SECONDS);

  /** Who waits for a connection. */
  interface Lease {
    void leased(UpstreamConnection connection);

    /**
     * @param status what the caller gets: 502 when connecting failed, 503 when every connection
     *     stayed busy
     */
    void failed(Throwable cause, int status);
  }

  private final EventLoop loop;
  private final Bootstrap bootstrap;
  private final int maxPerApi;
  private final long waitMillis;
  private final long silenceNanos;
  private final Set<Channel> openChannels;
  private final Map<String, PerApi> byAddress = new HashMap<>();

  /**
   * @param resolver resolves target host names without blocking the loop (Vert.x's, not Netty's
   *     default, which calls {@code InetAddress} on the loop)
   */
  UpstreamPool(
      EventLoop loop,
      ChannelFactory<? extends Channel> channels,
      AddressResolverGroup<? extends SocketAddress> resolver,
      GatewaySettings settings,
      Set<Channel> openChannels) {
    this.loop = loop;
    this.maxPerApi = settings.maxConnectionsPerApi();
    this.waitMillis = settings.connectTimeout().toMillis();
    this.silenceNanos = settings.upstreamTimeout().toNanos();
    this.openChannels = openChannels;
    this.bootstrap =
        new Bootstrap()
            .group(loop)
            .channelFactory(channels)
            .resolver(resolver)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) waitMillis)
            .option(ChannelOption.TCP_NODELAY, true);
  }

  /** Leases a connection to the API: a pooled one, a new one, or the next free one. */
  void acquire(RegisteredApi target, Lease lease) {
    PerApi api =
        byAddress.computeIfAbsent(
            target.address(), key -> new PerApi(key, target.host(), target.port()));
    long now = System.nanoTime();
    UpstreamConnection idle;
    while ((idle = api.idle.pollLast()) != null) { // the most recently used: the warmest
      if (idle.channel().isActive() && now - idle.idleSince() < MAX_IDLE_NANOS) {
        lease.leased(idle);
        return;
      }
      idle.channel().close();
    }
    if (api.open < maxPerApi) {
      connect(api, lease);
    } else {
      api.waiting.add(new Waiter(api, lease));
    }
  }

  /**
   * Takes a connection back from the request it was leased to: into the pool if {@code reusable},
   * else closed. Nothing the target sends afterwards reaches that request.
   */
  void release(UpstreamConnection connection, boolean reusable) {
    connection.detach();
    Channel channel = connection.channel();
    PerApi api = byAddress.get(connection.address());
    if (!reusable || api == null || !channel.isActive()) {
      channel.close(); // its close listener frees the slot
      return;
    }
    channel.config().setAutoRead(true);
    Waiter next = api.waiting.poll();
    if (next != null) {
      next.timer.cancel(false);
      next.lease.leased(connection);
    } else {
      api.idle.addLast(connection);
    }
  }

  private void connect(PerApi api, Lease lease) {
    api.open++;
    ChannelFuture connecting =
        bootstrap.clone().handler(initializer(api.address)).connect(api.host, api.port);
    Channel channel = connecting.channel();
    channel
        .closeFuture()
        .addListener(
            closed -> {
              api.open--;
              api.idle.removeIf(pooled -> pooled.channel() == channel);
              Waiter next = api.open < maxPerApi ? api.waiting.poll() : null;
              if (next != null) {
                next.timer.cancel(false);
                connect(api, next.lease);
              }
            });
    connecting.addListener(
        done -> {
          if (done.isSuccess()) {
            lease.leased(channel.pipeline().get(UpstreamConnection.class));
          } else {
            channel.close();
            Throwable cause = done.cause();
            lease.failed(cause, 502);
          }
        });
  }

  private ChannelInitializer<Channel> initializer(String address) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel channel) {
        openChannels.add(channel);
        channel.closeFuture().addListener(closed -> openChannels.remove(channel));
        channel
            .pipeline()
            .addLast(new HttpClientCodec(4096, 65_536, 65_536))
            .addLast(new UpstreamConnection(address, channel, silenceNanos));
      }
    };
  }

  /** The connections to one API from this loop. */
  private static final class PerApi {
    final String address;
    final String host;
    final int port;
    final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
    final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    int open;

    PerApi(String address, String host, int port) {
      this.address = address;
      this.host = host;
      this.port = port;
    }
  }

  /** A request waiting for a free connection, failed when the connect timeout passes. */
  private final class Waiter {
    final Lease lease;
    final ScheduledFuture<?> timer;

    Waiter(PerApi api, Lease lease) {
      this.lease = lease;
      this.timer =
          loop.schedule(
              () -> {
                if (api.waiting.remove(this)) {
                  lease.failed(
                      new TimeoutException(
                          "all "
                              + maxPerApi
                              + " connections to it stayed busy for "
                              + waitMillis
                              + " ms"),
                      503);
                }
              },
              waitMillis,
              TimeUnit.MILLISECONDS);
    }
  }
}
