package dev.splitter.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitter.core.BackendException;
import dev.splitter.core.Deployer;
import dev.splitter.model.SplitterConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Faults a real API server cannot be made to produce on demand, injected with fabric8's mock
 * server: a 409 on every write, a 500 on create. (A real 409 is in {@link ApiServerFlows}.)
 */
interface MockServerFaults {
  TestCluster cluster();

  Deployer deployer();

  String collectionPath();

  String objectPath(String name);

  List<Integer> liveWeights(String name);

  String backendAndKind();

  io.fabric8.kubernetes.api.model.HasMetadata routingObject(String name);

  SplitterConfig split(int myApiWeight);

  private MockCluster mock() {
    return (MockCluster) cluster();
  }

  @Test
  default void everyWriteCarriesStrictFieldValidation() throws InterruptedException {
    mock().takeRequests();
    deployer().deploy(split(20));
    deployer().deploy(split(30));

    assertThat(mock().takeRequests())
        .filteredOn(request -> request.startsWith("POST ") || request.startsWith("PUT "))
        .hasSize(2)
        .allMatch(request -> request.endsWith("?fieldValidation=Strict"));
  }

  @Test
  default void aConflictOnEveryWriteIsReportedAndNothingChanges() {
    deployer().deploy(split(20));
    mock()
        .server
        .expect()
        .put()
        .withPath(objectPath("traffic-splitter") + "?fieldValidation=Strict")
        .andReturn(409, status(409, "Conflict", "the object has been modified"))
        .always();

    assertThatThrownBy(() -> deployer().deploy(split(30)))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessage(
            backendAndKind().split(" ")[0]
                + ": update "
                + backendAndKind().split(" ")[1]
                + " models/traffic-splitter: changed by someone else while this deploy was"
                + " writing it (409 Conflict: the object has been modified); nothing was written,"
                + " deploy again to apply over the change");
    assertThat(liveWeights("traffic-splitter")).containsExactly(20, 80);
  }

  @Test
  default void aServerErrorOnCreateLeavesNothingAndTheNextDeployConverges() {
    mock()
        .server
        .expect()
        .post()
        .withPath(collectionPath() + "?fieldValidation=Strict")
        .andReturn(500, status(500, "InternalError", "etcdserver: request timed out"))
        .once();

    assertThatThrownBy(() -> deployer().deploy(split(20)))
        .isInstanceOfSatisfying(
            BackendException.class,
            e -> {
              assertThat(e.operation()).isEqualTo("create");
              assertThat(e.retryable()).isTrue();
            })
        .hasMessageContaining("HTTP 500: etcdserver: request timed out");
    assertThat(routingObject("traffic-splitter")).isNull();

    assertThat(deployer().deploy(split(20)).messages())
        .containsExactly("created traffic-splitter (TrafficSplitter)");
  }

  static String status(int code, String reason, String message) {
    return """
        {"apiVersion":"v1","kind":"Status","status":"Failure","code":%d,"reason":"%s","message":"%s"}
        """
        .formatted(code, reason, message);
  }
}
