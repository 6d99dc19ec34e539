package dev.splitter.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The connection cap when connections arrive on several event loops at once: none is refused while
 * an idle one is left, and exactly as many are closed as the cap needs.
 */
class ClientConnectionsTest {

  @Test
  void connectionsAdmittedTogetherAtTheCapAreNeverRefusedWhileAnIdleOneIsLeft() throws Exception {
    int max = 10;
    for (int round = 0; round < 2000; round++) {
      ClientConnections connections = new ClientConnections(max);
      List<Channel> channels = new CopyOnWriteArrayList<>();
      for (int i = 0; i < max; i++) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channels.add(channel);
        assertThat(connections.admit(channel)).isNotNull();
      }
      CyclicBarrier together = new CyclicBarrier(2);
      AtomicInteger refused = new AtomicInteger();
      List<CompletableFuture<Void>> loops = new ArrayList<>();
      for (int loop = 0; loop < 2; loop++) {
        loops.add(
            CompletableFuture.runAsync(
                () -> {
                  try {
                    together.await();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                  for (int i = 0; i < 20; i++) {
                    Channel channel = new EmbeddedChannel();
                    channels.add(channel);
                    if (connections.admit(channel) == null) {
                      refused.incrementAndGet();
                    }
                  }
                }));
      }
      for (CompletableFuture<Void> loop : loops) {
        loop.get();
      }

      assertThat(refused).as("refused in round %d", round).hasValue(0);
      assertThat(connections.open()).as("counted in round %d", round).isEqualTo(max);
      assertThat(channels.stream().filter(Channel::isOpen))
          .as("left open in round %d", round)
          .hasSize(max);
    }
  }

  @Test
  void aConnectionIsRefusedOnlyWhenEveryOtherOneIsBusy() {
    ClientConnections connections = new ClientConnections(2);
    connections.admit(new EmbeddedChannel()).busy();
    connections.admit(new EmbeddedChannel()).busy();

    EmbeddedChannel third = new EmbeddedChannel();

    assertThat(connections.admit(third)).isNull();
    assertThat(connections.open()).isEqualTo(2);
  }
}
