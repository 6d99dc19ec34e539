package dev.splitter.k8s;

/** Rollouts on the GatewayApi backend on fabric8's mock server. */
class GatewayApiRolloutMockServerTest extends GatewayApiRolloutContract {
  @Override
  TestCluster newCluster() {
    return MockCluster.start();
  }
}
