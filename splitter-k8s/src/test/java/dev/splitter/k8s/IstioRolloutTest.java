package dev.splitter.k8s;

/** Rollouts on the Istio backend on the real API server. */
class IstioRolloutTest extends IstioRolloutContract {
  @Override
  TestCluster newCluster() {
    return RealCluster.start();
  }
}
