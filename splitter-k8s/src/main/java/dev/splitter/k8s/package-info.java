/**
 * Kubernetes backends for the {@link dev.splitter.core.Deployer}: {@link
 * dev.splitter.k8s.IstioRouting} (one Istio VirtualService per splitter, as Cortex did), {@link
 * dev.splitter.k8s.GatewayApiRouting} (one Gateway API HTTPRoute per splitter) and {@link
 * dev.splitter.k8s.KubernetesApiCatalog} (Realtime APIs as labelled Services and Deployments). Each
 * takes the caller's fabric8 {@code KubernetesClient}.
 */
@NullMarked
package dev.splitter.k8s;

import org.jspecify.annotations.NullMarked;
