/**
 * What a backend implements to plug into the {@link dev.splitter.core.Deployer}: {@link
 * dev.splitter.spi.RoutingBackend} for the weighted route, {@link
 * dev.splitter.spi.EndpointProvisioner} for the public endpoint, {@link
 * dev.splitter.spi.ApiCatalog} for the target APIs and {@link dev.splitter.spi.MetricsSource} for
 * their traffic. Each is small; implementations must be thread-safe.
 */
@NullMarked
package dev.splitter.spi;

import org.jspecify.annotations.NullMarked;
