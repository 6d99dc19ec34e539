package dev.splitter.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.splitter.core.Deployer;
import dev.splitter.junit.LocalSplitterTest.Lifecycle;
import dev.splitter.local.LocalCluster;
import dev.splitter.model.Assignment;
import dev.splitter.model.TrafficSplitter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

class LocalSplitterTestTest {
  /** Gateways and sample APIs the sample classes below saw, to check they were stopped. */
  static final List<URI> SEEN = new CopyOnWriteArrayList<>();

  @Test
  void aTestGetsAGatewayWithTheFileDeployedAndItsEndpointInjected() {
    Events tests = run(DeploysTheFile.class);

    tests.assertStatistics(stats -> stats.started(1).succeeded(1));
  }

  @Test
  void everyGatewayAndSampleApiIsStoppedWhenItsTestEnds() {
    SEEN.clear();
    run(DeploysTheFile.class);

    assertThat(SEEN).isNotEmpty().allSatisfy(uri -> assertThat(listens(uri)).isFalse());
  }

  @Test
  void eachTestGetsItsOwnGatewayByDefault() {
    SEEN.clear();
    run(TwoTestsPerMethod.class).assertStatistics(stats -> stats.succeeded(2));

    assertThat(SEEN).hasSize(2).doesNotHaveDuplicates();
  }

  @Test
  void testsOfAClassShareOneGatewayPerClass() {
    SEEN.clear();
    run(TwoTestsPerClass.class).assertStatistics(stats -> stats.succeeded(2));

    assertThat(SEEN).hasSize(2).containsOnly(SEEN.get(0));
    assertThat(listens(SEEN.get(0))).isFalse();
  }

  @Test
  void aGatewayIsStoppedEvenWhenItsTestFails() {
    SEEN.clear();
    Events tests = run(FailsOnPurpose.class);

    tests.assertStatistics(stats -> stats.failed(1));
    assertThat(SEEN).singleElement().satisfies(uri -> assertThat(listens(uri)).isFalse());
  }

  @Test
  void aFileThatBreaksARuleFailsTheTestWithItsViolations() {
    Events tests = run(DeploysABadFile.class);

    tests.assertStatistics(stats -> stats.failed(1));
    assertThat(
            tests
                .failed()
                .list()
                .get(0)
                .getPayload(org.junit.platform.engine.TestExecutionResult.class))
        .hasValueSatisfying(
            result ->
                assertThat(result.getThrowable())
                    .get()
                    .asString()
                    .contains("bad.yaml:")
                    .contains("weights of all non-shadow apis to sum to 100 but found 20"));
  }

  @Test
  void aNestedClassRunsWithTheSettingsOfTheClassAroundIt() {
    run(DeploysTheFileForNestedTests.class)
        .assertStatistics(stats -> stats.started(2).succeeded(2));
  }

  @Test
  void aSplitThatIsOffFailsWithEveryCountAndShare() {
    try (LocalSplitter splitter = LocalSplitter.start()) {
      splitter.sampleApi("a");
      splitter.sampleApi("b");
      splitter.deploy(
          dev.splitter.model.TrafficSplitter.builder()
              .name("ab")
              .target("a", 50)
              .target("b", 50)
              .build());
      Responses responses = splitter.send("ab", 2_000);

      assertThatThrownBy(() -> SplitAssert.assertSplit(responses).matches(90, 10))
          .isInstanceOf(AssertionError.class)
          .hasMessageStartingWith(
              "the split of 2000 answered requests to ab is not 90/10 within 4.0 sigma:")
          .hasMessageContaining("expected  90.00%  sigma    13.4")
          .hasMessageContaining("<-");
      SplitAssert.assertSplit(responses).matches(50, 50);
    }
  }

  @Test
  void keyedRequestsReachTheirBucketsOwnerAndMoveOnlyToTheTargetThatGained() {
    try (LocalSplitter splitter = LocalSplitter.start()) {
      splitter.sampleApi("a");
      splitter.sampleApi("b");
      TrafficSplitter.Builder ab = TrafficSplitter.builder().name("ab");
      splitter.deploy(ab.apis(List.of()).target("a", 90).target("b", 10).build());
      List<String> users = IntStream.range(0, 500).mapToObj(i -> "user-" + i).toList();

      Map<String, String> before = splitter.sendKeyed("ab", users);
      assertThat(splitter.sendKeyed("ab", users)).isEqualTo(before);
      Assignment layout = splitter.deployer().get("ab").assignment();
      users.forEach(user -> assertThat(before.get(user)).isEqualTo(layout.target(user)));

      splitter.deploy(ab.apis(List.of()).target("a", 50).target("b", 50).build());
      Map<String, String> after = splitter.sendKeyed("ab", users);
      users.stream()
          .filter(user -> !after.get(user).equals(before.get(user)))
          .forEach(moved -> assertThat(after.get(moved)).isEqualTo("b"));
      assertThat(after.values().stream().filter("b"::equals).count()).isBetween(200L, 300L);
    }
  }

  private static Events run(Class<?> testClass) {
    return EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(testClass))
        .execute()
        .testEvents();
  }

  private static boolean listens(URI uri) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 1_000);
      return true;
    } catch (ConnectException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  @LocalSplitterTest(deploy = "cortex.yaml")
  static class DeploysTheFile {
    @Test
    void splitsTwentyEighty(
        LocalSplitter splitter,
        LocalCluster cluster,
        Deployer deployer,
        @SplitterEndpoint("traffic-splitter") URI endpoint) {
      SEEN.add(cluster.baseUrl());
      splitter.sampleApi("my-api"); // started by the deploy: the same one comes back
      SEEN.add(splitter.sampleApi("my-api").uri());
      assertThat(endpoint).isEqualTo(cluster.baseUrl().resolve("/traffic-splitter"));
      assertThat(deployer.get("traffic-splitter").targets()).hasSize(2);

      SplitAssert.assertSplit(splitter.send("traffic-splitter", 2_000)).matches(20, 80);
    }
  }

  @LocalSplitterTest(sampleApis = "a")
  static class TwoTestsPerMethod {
    @Test
    void first(LocalCluster cluster) {
      SEEN.add(cluster.baseUrl());
    }

    @Test
    void second(LocalCluster cluster) {
      SEEN.add(cluster.baseUrl());
    }
  }

  /** The same two tests, sharing one gateway: the subclass's own annotation wins. */
  @LocalSplitterTest(sampleApis = "a", lifecycle = Lifecycle.PER_CLASS)
  static class TwoTestsPerClass extends TwoTestsPerMethod {}

  @LocalSplitterTest(sampleApis = {"a", "b"})
  static class FailsOnPurpose {
    @Test
    void fails(LocalCluster cluster) {
      SEEN.add(cluster.baseUrl());
      throw new AssertionError("on purpose");
    }
  }

  @LocalSplitterTest(deploy = "cortex.yaml")
  static class DeploysTheFileForNestedTests {
    @Nested
    class Inner {
      @Test
      void seesTheOuterFileDeployed(Deployer deployer) {
        assertThat(deployer.get("traffic-splitter").targets()).hasSize(2);
      }

      @Nested
      @LocalSplitterTest(sampleApis = "c")
      class WithItsOwnSettings {
        @Test
        void hasOnlyItsOwn(Deployer deployer) {
          assertThat(deployer.list()).isEmpty(); // the outer file is not deployed here
        }
      }
    }
  }

  @LocalSplitterTest(deploy = "bad.yaml")
  static class DeploysABadFile {
    @Test
    void neverRuns() {}
  }
}
