package dev.splitter.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitter.core.BackendException;
import dev.splitter.spi.ApiState;
import dev.splitter.spi.ApiStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Statuses read from Services and Deployments served by the mock API server. */
class KubernetesApiCatalogTest {
  private MockCluster cluster;
  private KubernetesApiCatalog catalog;

  @BeforeEach
  void start() {
    cluster = MockCluster.start();
    catalog = KubernetesApiCatalog.builder().client(cluster.client).build();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private void edit(String name, UnaryOperator<Deployment> change) {
    cluster.client.apps().deployments().withName(name).edit(change);
  }

  @Test
  void anApiWithAvailableReplicasIsLive() {
    cluster.realtimeApi("my-api", 2, 2);

    ApiStatus status = catalog.status("my-api");

    assertThat(catalog.exists("my-api")).isTrue();
    assertThat(status.state()).isEqualTo(ApiState.LIVE);
    assertThat(status.requested()).isEqualTo(2);
    assertThat(status.lastUpdated()).isNotNull();
  }

  @Test
  void anApiWithNoReplicaAvailableYetIsUpdating() {
    cluster.realtimeApi("my-api", 2, 0);

    assertThat(catalog.status("my-api").state()).isEqualTo(ApiState.UPDATING);
  }

  @Test
  void aRolloutUnderWayIsUpdating() {
    cluster.realtimeApi("my-api", 2, 2);
    edit(
        "my-api",
        deployment -> {
          deployment.getStatus().setUpdatedReplicas(1);
          deployment.getStatus().setReplicas(3);
          return deployment;
        });

    assertThat(catalog.status("my-api").state()).isEqualTo(ApiState.UPDATING);
  }

  @Test
  void aDeploymentPastItsProgressDeadlineIsAnError() {
    cluster.realtimeApi("my-api", 2, 1);
    edit(
        "my-api",
        deployment -> {
          deployment
              .getStatus()
              .getConditions()
              .add(
                  new DeploymentConditionBuilder()
                      .withType("Progressing")
                      .withStatus("False")
                      .withReason("ProgressDeadlineExceeded")
                      .withLastUpdateTime("2026-11-25T08:00:00Z")
                      .build());
          return deployment;
        });

    ApiStatus status = catalog.status("my-api");

    assertThat(status.state()).isEqualTo(ApiState.ERROR);
    assertThat(status.lastUpdated()).isNotNull();
    assertThat(status.lastUpdated()).isAfterOrEqualTo(Instant.parse("2026-11-25T08:00:00Z"));
  }

  @Test
  void aDeploymentScaledToZeroIsAnError() {
    cluster.realtimeApi("my-api", 0, 0);

    assertThat(catalog.status("my-api"))
        .extracting(ApiStatus::state, ApiStatus::requested)
        .containsExactly(ApiState.ERROR, 0);
  }

  @Test
  void aServiceWithoutItsDeploymentIsAnError() {
    cluster.realtimeApi("my-api", 1, 1);
    cluster.client.apps().deployments().withName("my-api").delete();

    assertThat(catalog.status("my-api").state()).isEqualTo(ApiState.ERROR);
  }

  @Test
  void anApiWithoutItsLabelsDoesNotExist() {
    cluster.realtimeApi("my-api", 1, 1);

    assertThat(catalog.exists("other-api")).isFalse();
    assertThat(catalog.status("other-api")).isEqualTo(ApiStatus.NOT_DEPLOYED);
  }

  @Test
  void theSelectorCanBeChanged() {
    cluster.realtimeApi("my-api", 1, 1);
    KubernetesApiCatalog byOtherLabels =
        KubernetesApiCatalog.builder()
            .client(cluster.client)
            .selector(Map.of("apiKind", "BatchAPI"))
            .build();

    assertThat(byOtherLabels.exists("my-api")).isFalse();
  }

  @Test
  void anApiServerFailureIsABackendError() {
    cluster
        .server
        .expect()
        .get()
        .withPath(
            "/api/v1/namespaces/models/services?labelSelector=apiKind%3DRealtimeAPI%2CapiName%3Dmy-api")
        .andReturn(503, MockServerFaults.status(503, "ServiceUnavailable", "overloaded"))
        .once();

    assertThatThrownBy(() -> catalog.exists("my-api"))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageContaining("Realtime API models/my-api")
        .hasMessageEndingWith("HTTP 503: overloaded");
  }
}
