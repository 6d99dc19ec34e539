/**
 * AWS backends for the {@link dev.splitter.core.Deployer}: {@link dev.splitter.aws.AlbRouting} (one
 * listener rule per splitter, forwarding to weighted target groups), {@link
 * dev.splitter.aws.ApiGatewayEndpoints} (an API Gateway v2 route per public endpoint), {@link
 * dev.splitter.aws.AlbTargetCatalog} (Realtime APIs as target groups) and {@link
 * dev.splitter.aws.CloudWatchMetrics} (per-target traffic). Each takes the caller's AWS SDK v2
 * client: region, credentials, retries and endpoint overrides are the caller's.
 */
@NullMarked
package dev.splitter.aws;

import org.jspecify.annotations.NullMarked;
