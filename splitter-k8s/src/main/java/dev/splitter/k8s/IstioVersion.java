package dev.splitter.k8s;

import org.apiguardian.api.API;

/** The {@code networking.istio.io} API version VirtualServices are written in. */
@API(status = API.Status.STABLE)
public enum IstioVersion {
  /** {@code networking.istio.io/v1}, Istio 1.22 and later. The default. */
  V1,
  /** {@code networking.istio.io/v1beta1}, for older Istio. */
  V1BETA1
}
