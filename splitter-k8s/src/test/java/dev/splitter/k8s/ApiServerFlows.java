package dev.splitter.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitter.InvalidConfigException;
import dev.splitter.core.BackendException;
import dev.splitter.core.Deployer;
import dev.splitter.model.SplitterConfig;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What only a real API server shows: a real 409 from a write made between splitter's read and its
 * write, strict field validation against the CRD's schema, and the rules the schema leaves to us.
 */
interface ApiServerFlows {
  TestCluster cluster();

  Deployer deployer(Clock clock);

  SplitterConfig split(int myApiWeight);

  HasMetadata routingObject(String name);

  List<Integer> liveWeights(String name);

  void editFirstWeight(String name, int weight);

  String backendAndKind();

  @Test
  default void aRealConflictThatChangedNothingOfOursIsRetriedAndKeepsTheirLabel() {
    MeddlingClock clock = new MeddlingClock(KubernetesRoutingContract.T0);
    Deployer deployer = deployer(clock);
    deployer.deploy(split(20));
    clock.meddle(1, () -> label("traffic-splitter", "touched-by", "kubectl"));

    assertThat(deployer.deploy(split(30)).messages())
        .containsExactly("updated traffic-splitter (TrafficSplitter)");

    assertThat(liveWeights("traffic-splitter")).containsExactly(30, 70);
    assertThat(routingObject("traffic-splitter").getMetadata().getLabels())
        .containsEntry("touched-by", "kubectl");
  }

  @Test
  default void aRealConflictThatChangedTheWeightsIsNeverWrittenOver() {
    MeddlingClock clock = new MeddlingClock(KubernetesRoutingContract.T0);
    Deployer deployer = deployer(clock);
    deployer.deploy(split(20));
    clock.meddle(1, () -> editFirstWeight("traffic-splitter", 50));

    assertThatThrownBy(() -> deployer.deploy(split(30)))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageContaining("changed by someone else while this deploy was writing it (409");

    assertThat(liveWeights("traffic-splitter")).containsExactly(50, 80);
  }

  @Test
  default void conflictsOnEveryAttemptEndAfterThreeWithNothingWrittenOver() {
    MeddlingClock clock = new MeddlingClock(KubernetesRoutingContract.T0);
    Deployer deployer = deployer(clock);
    deployer.deploy(split(20));
    clock.meddle(
        3, () -> label("traffic-splitter", "touched-by", "a-controller-" + System.nanoTime()));

    assertThatThrownBy(() -> deployer.deploy(split(30)))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageContaining("409 Conflict");

    assertThat(liveWeights("traffic-splitter")).containsExactly(20, 80);
  }

  @Test
  default void strictFieldValidationRefusesAFieldTheSchemaDoesNotKnow() {
    deployer(Clock.fixed(KubernetesRoutingContract.T0, java.time.ZoneOffset.UTC)).deploy(split(20));
    GenericKubernetesResource misspelt = generic(routingObject("traffic-splitter"));
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) misspelt.getAdditionalProperties().get("spec");
    spec.put("hostnamez", List.of("typo.example.com"));

    assertThatThrownBy(
            () -> cluster().client.resource(misspelt).fieldValidation(Validation.STRICT).update())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("unknown field \"spec.hostnamez\"");
    // Without it, the server drops the field and the write succeeds: what strict writes prevent.
    cluster().client.resource(misspelt).update();
    assertThat(generic(routingObject("traffic-splitter")).getAdditionalProperties().get("spec"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .doesNotContainKey("hostnamez");
  }

  @Test
  default void weightsTheSchemaWouldAcceptAreRefusedByOurValidationBeforeAnyWrite() {
    Deployer deployer =
        deployer(Clock.fixed(KubernetesRoutingContract.T0, java.time.ZoneOffset.UTC));
    SplitterConfig overweight =
        SplitterConfig.parse(
            """
            - name: traffic-splitter
              kind: TrafficSplitter
              networking: {api_gateway: none}
              apis:
                - {name: my-api, weight: 500}
                - {name: another-my-api, weight: 500}
                - {name: shadow-api, weight: 101, shadow: true}
            """,
            "cortex.yaml");

    assertThatThrownBy(() -> deployer.deploy(overweight))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("apis[0].weight")
        .hasMessageContaining("apis[2].weight")
        .hasMessageContaining("sum to 100");
    assertThat(routingObject("traffic-splitter")).isNull();
  }

  private void label(String name, String key, String value) {
    HasMetadata object = routingObject(name);
    object.getMetadata().getLabels().put(key, value);
    cluster().client.resource(object).update();
  }

  private GenericKubernetesResource generic(HasMetadata object) {
    return cluster()
        .client
        .getKubernetesSerialization()
        .convertValue(object, GenericKubernetesResource.class);
  }
}
