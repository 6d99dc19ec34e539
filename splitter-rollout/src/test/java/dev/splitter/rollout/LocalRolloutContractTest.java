package dev.splitter.rollout;

import dev.splitter.core.Deployer;
import dev.splitter.local.LocalCluster;
import dev.splitter.spi.Annotations;
import dev.splitter.spi.RoutingBackend;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/** The rollout contract on the embedded gateway: the state is kept beside its route table. */
@Timeout(120)
class LocalRolloutContractTest extends RolloutContract {
  private LocalCluster cluster;

  @BeforeEach
  void start() {
    cluster = LocalCluster.builder().clock(clock).start();
    cluster.registerApi("my-api", URI.create("http://127.0.0.1:9/"));
    cluster.registerApi("another-my-api", URI.create("http://127.0.0.1:9/"));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Override
  protected RoutingBackend routing() {
    return cluster.routing();
  }

  @Override
  protected Deployer.Builder deployerOn(RoutingBackend routing) {
    return cluster.deployerBuilder().routing(routing);
  }

  @Override
  protected Map<String, String> storedOnObject(String splitter) {
    return Annotations.readFrom(prefixed(cluster.routing().annotations(splitter)));
  }

  private static Map<String, String> prefixed(Map<String, String> annotations) {
    Map<String, String> stored = new TreeMap<>();
    annotations.forEach((key, value) -> stored.put(Annotations.PREFIX + key, value));
    return stored;
  }
}
