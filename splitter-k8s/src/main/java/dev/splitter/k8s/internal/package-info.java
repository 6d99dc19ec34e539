/** Internals of the Kubernetes backends; not an API. */
@NullMarked
package dev.splitter.k8s.internal;

import org.jspecify.annotations.NullMarked;
