package dev.splitter.local.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's client connections, capped so that a flood of idle ones cannot take the process to
 * its file-descriptor limit. At the cap, a new connection closes the longest-idle one (a connection
 * with no request being forwarded, which includes one still sending its headers); only when every
 * connection is busy is the new one refused.
 *
 * <p>Admitting and releasing take a lock: connections arrive on several event loops, and a scan for
 * the longest-idle one that ran beside another loop's admissions could find none of the connections
 * it began with (each closed meanwhile) and none of the new ones (added where the scan had passed),
 * and refuse a connection while idle ones were open. A connection's busy flag is written by its own
 * event loop without the lock.
 */
final class ClientConnections {
  private final int max;
  private final Object lock = new Object();

  /** Guarded by {@link #lock}. */
  private final Map<Channel, ClientState> states = new HashMap<>();

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
    Channel idlest = null;
    synchronized (lock) {
      if (states.size() >= max) {
        idlest = longestIdle();
        if (idlest == null) {
          return null;
        }
        states.remove(idlest);
      }
      states.put(channel, state);
    }
    // Outside the lock: closing on its own event loop runs its close listeners at once.
    if (idlest != null) {
      idlest.close();
    }
    channel.closeFuture().addListener(closed -> release(channel));
    return state;
  }

  /** Closes every client connection. */
  List<ChannelFuture> closeAll() {
    List<Channel> channels;
    synchronized (lock) {
      channels = new ArrayList<>(states.keySet());
    }
    List<ChannelFuture> closing = new ArrayList<>();
    channels.forEach(channel -> closing.add(channel.close()));
    return closing;
  }

  /** How many client connections are open. */
  int open() {
    synchronized (lock) {
      return states.size();
    }
  }

  private @Nullable Channel longestIdle() {
    Channel idlest = null;
    long oldest = 0;
    for (Map.Entry<Channel, ClientState> entry : states.entrySet()) {
      ClientState state = entry.getValue();
      if (!state.busy && (idlest == null || state.idleSince - oldest < 0)) {
        oldest = state.idleSince;
        idlest = entry.getKey();
      }
    }
    return idlest;
  }

  private void release(Channel channel) {
    synchronized (lock) {
      states.remove(channel);
    }
  }
}
