package dev.splitter.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.TreeMap;

/** A routing object as YAML, without what the server assigns (uid, resourceVersion, times). */
final class Golden {
  private Golden() {}

  @SuppressWarnings("unchecked")
  static String yaml(KubernetesClient client, HasMetadata object) {
    var serialization = client.getKubernetesSerialization();
    Map<String, Object> tree = serialization.convertValue(object, Map.class);
    tree.put(
        "metadata",
        serialization.convertValue(
            new ObjectMetaBuilder()
                .withName(object.getMetadata().getName())
                .withNamespace(object.getMetadata().getNamespace())
                .withLabels(new TreeMap<>(object.getMetadata().getLabels()))
                .withAnnotations(new TreeMap<>(object.getMetadata().getAnnotations()))
                .build(),
            Map.class));
    return serialization.asYaml(tree);
  }
}
