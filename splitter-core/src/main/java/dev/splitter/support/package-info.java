/**
 * Helpers a routing backend may use, and that splitter's own backends share: a spec stored on its
 * routing object ({@link dev.splitter.support.StoredSpec}), drift read back from a live route
 * ({@link dev.splitter.support.LiveRoute}), backend calls whose failures become {@link
 * dev.splitter.core.BackendException}s ({@link dev.splitter.support.BackendCalls}), bounded retries
 * ({@link dev.splitter.support.Attempts}) and who holds an endpoint ({@link
 * dev.splitter.support.EndpointOwners}). None of it is needed to implement {@link
 * dev.splitter.spi}.
 */
@NullMarked
package dev.splitter.support;

import org.jspecify.annotations.NullMarked;
