/** The commands and what they share; not an API. */
@NullMarked
package dev.splitter.cli.internal;

import org.jspecify.annotations.NullMarked;
