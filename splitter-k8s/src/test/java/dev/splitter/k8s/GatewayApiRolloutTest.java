package dev.splitter.k8s;

/** Rollouts on the GatewayApi backend on the real API server. */
class GatewayApiRolloutTest extends GatewayApiRolloutContract {
  @Override
  TestCluster newCluster() {
    return RealCluster.start();
  }
}
