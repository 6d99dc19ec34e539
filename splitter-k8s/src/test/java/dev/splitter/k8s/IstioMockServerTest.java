package dev.splitter.k8s;

/** The Istio backend on fabric8's mock server, for the faults only it can inject. */
class IstioMockServerTest extends IstioContract implements MockServerFaults {

  @Override
  TestCluster newCluster() {
    return MockCluster.start();
  }
}
