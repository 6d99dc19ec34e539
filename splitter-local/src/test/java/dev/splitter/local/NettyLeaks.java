package dev.splitter.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Fails a test class after which Netty reports a leaked buffer. As a launcher session listener it
 * installs, before any test touches Netty, a leak detector that records what it reports; as a
 * Jupiter extension (registered for every class of this module by autodetection) it collects
 * garbage after each class, makes Netty look, and fails on any report.
 */
public final class NettyLeaks implements LauncherSessionListener, AfterAllCallback {
  private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new Recording());
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    for (int round = 0; round < 3; round++) {
      System.gc();
      Thread.sleep(50);
      // The detector looks for collected, unreleased buffers when a new one is tracked.
      for (int i = 0; i < 64; i++) {
        release(PooledByteBufAllocator.DEFAULT.directBuffer(16));
        release(PooledByteBufAllocator.DEFAULT.heapBuffer(16));
        release(UnpooledByteBufAllocator.DEFAULT.directBuffer(16));
      }
    }
    List<String> leaks = new ArrayList<>();
    for (String leak; (leak = LEAKS.poll()) != null; ) {
      leaks.add(leak);
    }
    assertThat(leaks).as("buffers leaked by the tests of " + context.getDisplayName()).isEmpty();
  }

  private static void release(ByteBuf buffer) {
    buffer.release();
  }

  /** Netty's detector, recording each report as well as logging it. */
  private static final class Recording extends ResourceLeakDetectorFactory {
    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
        Class<T> resource, int samplingInterval, long maxActive) {
      return new ResourceLeakDetector<T>(resource, samplingInterval) {
        @Override
        protected void reportTracedLeak(String type, String records) {
          LEAKS.add(type + records);
          super.reportTracedLeak(type, records);
        }

        @Override
        protected void reportUntracedLeak(String type) {
          LEAKS.add(type);
          super.reportUntracedLeak(type);
        }
      };
    }
  }
}
