package dev.splitter.k8s;

/** Rollouts on the Istio backend on fabric8's mock server. */
class IstioRolloutMockServerTest extends IstioRolloutContract {
  @Override
  TestCluster newCluster() {
    return MockCluster.start();
  }
}
