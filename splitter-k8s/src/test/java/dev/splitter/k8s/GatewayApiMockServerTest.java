package dev.splitter.k8s;

/** The Gateway API backend on fabric8's mock server, for the faults only it can inject. */
class GatewayApiMockServerTest extends GatewayApiContract implements MockServerFaults {

  @Override
  TestCluster newCluster() {
    return MockCluster.start();
  }
}
