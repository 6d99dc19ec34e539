/** Implementation details of rollouts; not an API, may change in any release. */
@NullMarked
package dev.splitter.rollout.internal;

import org.jspecify.annotations.NullMarked;
