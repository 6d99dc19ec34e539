/**
 * The {@link dev.splitter.core.Deployer}: deploy, plan, get, list and delete Traffic Splitters on
 * any backend that implements {@link dev.splitter.spi}.
 */
@NullMarked
package dev.splitter.core;

import org.jspecify.annotations.NullMarked;
