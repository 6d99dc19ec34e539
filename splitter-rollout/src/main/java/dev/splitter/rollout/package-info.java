/**
 * Progressive rollouts on any backend: {@link dev.splitter.rollout.Rollout} moves a splitter's
 * weight from a baseline to a candidate in steps, each an ordinary deploy, checks {@link
 * dev.splitter.rollout.Gate}s on each step's traffic, and restores the weights from before the
 * rollout when one fails. Its state is kept on the routing object, so a rollout whose process died
 * can be resumed or aborted from another.
 */
@NullMarked
package dev.splitter.rollout;

import org.jspecify.annotations.NullMarked;
