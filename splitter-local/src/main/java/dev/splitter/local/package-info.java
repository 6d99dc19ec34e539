/**
 * The embedded default backend: {@link dev.splitter.local.LocalCluster} runs a weighted HTTP
 * gateway on 127.0.0.1, so the whole deploy, predict, get, delete flow works on one machine with no
 * cloud.
 */
@NullMarked
package dev.splitter.local;

import org.jspecify.annotations.NullMarked;
