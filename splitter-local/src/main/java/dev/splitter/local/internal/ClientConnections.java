package dev.splitter.local.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's client connections, capped so that a flood of idle ones cannot take the process to
 * its file-descriptor limit. At the cap, a new connection closes the longest-idle one (a connection
 * with no request being forwarded, which includes one still sending its headers); only when every
 * connection is busy is the new one refused.
 */
final class ClientConnections {
  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<Channel, ClientState> states = new ConcurrentHashMap<>();

  ClientConnections(int max) {
    this.max = max;
  }

  /** What the cap needs to know of one connection, written by its event loop. */
  static final class ClientState {
    private volatile boolean busy;
    private volatile long idleSince = System.nanoTime();

    /** A request is being forwarded: this connection is not idle. */
    void busy() {
      busy = true;
    }

    /** The exchange ended; the connection waits for its next request. */
    void idle() {
      busy = false;
      idleSince = System.nanoTime();
    }
  }

  /**
   * Admits a new connection, making room by closing the longest-idle one at the cap.
   *
   * @return its state, or null if every connection is busy and this one must be refused
   */
  @Nullable ClientState admit(Channel channel) {
    ClientState state = new ClientState();
    states.put(channel, state);
    open.incrementAndGet();
    channel.closeFuture().addListener(closed -> release(channel));
    while (open.get() > max) {
      Channel idlest = longestIdle(channel);
      if (idlest == null) {
        release(channel);
        return null;
      }
      // Two connections admitted at once on two event loops may pick the same idlest: the one
      // that released it closes it, the other looks again.
      if (release(idlest)) {
        idlest.close();
      }
    }
    return state;
  }

  /** Closes every client connection. */
  List<ChannelFuture> closeAll() {
    List<ChannelFuture> closing = new ArrayList<>();
    states.keySet().forEach(channel -> closing.add(channel.close()));
    return closing;
  }

  /** How many client connections are open. */
  int open() {
    return open.get();
  }

  private @Nullable Channel longestIdle(Channel except) {
    Channel idlest = null;
    long oldest = 0;
    for (Map.Entry<Channel, ClientState> entry : states.entrySet()) {
      ClientState state = entry.getValue();
      if (!state.busy
          && entry.getKey() != except
          && (idlest == null || state.idleSince - oldest < 0)) {
        oldest = state.idleSince;
        idlest = entry.getKey();
      }
    }
    return idlest;
  }

  /** Stops counting a connection; true for the one call that did. */
  private boolean release(Channel channel) {
    if (states.remove(channel) != null) {
      open.decrementAndGet();
      return true;
    }
    return false;
  }
}
